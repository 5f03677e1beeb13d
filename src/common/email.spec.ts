import { describe, expect, it } from '@jest/globals';
import { InvalidEmailError, normalizeEmail } from './email.js';

describe('normalizeEmail', () => {
  it('trims ASCII white space and lower-cases', () => {
    expect(normalizeEmail(' \tBob.Smith@Example.COM\r\n')).toBe('bob.smith@example.com');
  });

  it.each(['Bob@Example.com', ' bob@EXAMPLE.com ', 'BOB@example.COM', '\nbob@example.com\n'])(
    'maps the variant %j to the one canonical form',
    (variant) => {
      expect(normalizeEmail(variant)).toBe('bob@example.com');
    },
  );

  it('keeps +tags and dots: they are different mailboxes at most providers', () => {
    expect(normalizeEmail('First.Last+News@example.com')).toBe('first.last+news@example.com');
    expect(normalizeEmail('f.i.r.s.t@gmail.com')).toBe('f.i.r.s.t@gmail.com');
  });

  describe('domain (UTS #46)', () => {
    it.each([
      'anna@bücher.example',
      'anna@BÜCHER.example',
      'anna@xn--bcher-kva.example',
      'anna@XN--BCHER-KVA.example',
    ])('makes %j the same identity as its punycode form', (variant) => {
      expect(normalizeEmail(variant)).toBe('anna@xn--bcher-kva.example');
    });

    it.each([
      ['full-width letters and full stop', 'anna@ｅｘａｍｐｌｅ．ｃｏｍ'],
      ['an ideographic full stop', 'anna@example。com'],
      ['a zero-width space (ignored)', 'anna@exam\u200bple.com'],
      ['a soft hyphen (ignored)', 'anna@exam\u00adple.com'],
    ])('folds %s to the ASCII domain', (_label, variant) => {
      expect(normalizeEmail(variant)).toBe('anna@example.com');
    });

    it('refuses a zero-width joiner outside the scripts that need one (CONTEXTJ)', () => {
      expect(() => normalizeEmail('anna@exam\u200dple.com')).toThrow(InvalidEmailError);
    });

    it('keeps a Cyrillic homoglyph domain a different identity from the Latin one', () => {
      const homoglyph = normalizeEmail('anna@ex\u0430mple.com');
      expect(homoglyph).toBe('anna@xn--exmple-4nf.com');
      expect(homoglyph).not.toBe(normalizeEmail('anna@example.com'));
    });
  });

  describe('non-ASCII local parts are refused, so no spelling merges two people or makes a second one', () => {
    it.each([
      ['a Cyrillic а, homoglyph of a', '\u0430nna@example.com', 'anna@example.com'],
      ['ß, which case folding turns into ss', 'stra\u00dfe@example.com', 'strasse@example.com'],
      ['the Turkish dotted İ', '\u0130lker@example.com', 'ilker@example.com'],
      ['the Turkish dotless ı', '\u0131lker@example.com', 'ilker@example.com'],
      ['the Kelvin sign, which toLowerCase() makes an ASCII k', '\u212aate@example.com', 'kate@example.com'],
      ['é in NFC', 'jos\u00e9@example.com', 'jose@example.com'],
      ['é in NFD', 'jose\u0301@example.com', 'jose@example.com'],
    ])('%s', (_label, refused, asciiLookalike) => {
      expect(() => normalizeEmail(refused)).toThrow(InvalidEmailError);
      expect(normalizeEmail(asciiLookalike)).toBe(asciiLookalike);
    });
  });

  describe('invalid input', () => {
    it('throws InvalidEmailError with code USERS.INVALID_EMAIL', () => {
      let thrown: unknown;
      try {
        normalizeEmail('no-at-sign.example.com');
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidEmailError);
      expect(thrown).toMatchObject({
        code: 'USERS.INVALID_EMAIL',
        message: expect.stringMatching(/^Invalid email/),
      });
    });

    it.each([
      ['no @', 'bob.example.com'],
      ['an empty local part', '@example.com'],
      ['an empty domain', 'bob@'],
      ['only white space', '   '],
      ['consecutive dots in the local part', 'bob..smith@example.com'],
      ['a leading dot in the local part', '.bob@example.com'],
      ['a trailing dot in the local part', 'bob.@example.com'],
      ['consecutive dots in the domain', 'bob@example..com'],
      ['a trailing dot in the domain', 'bob@example.com.'],
      ['a trailing ideographic full stop', 'bob@example.com。'],
      ['a local part over 64 characters', `${'a'.repeat(65)}@example.com`],
      ['an address over 254 characters', `${'a'.repeat(64)}@${`${'b'.repeat(63)}.`.repeat(3)}com`],
      ['a domain label over 63 characters', `bob@${'b'.repeat(64)}.com`],
      ['a quoted local part', '"bob"@example.com'],
      ['a quoted local part with a space', '"bob smith"@example.com'],
      ['a space inside', 'bob smith@example.com'],
      ['a second @', 'bob@evil.example@example.com'],
      ['an IPv4 domain', 'bob@127.0.0.1'],
      ['a bracketed IPv4 literal', 'bob@[127.0.0.1]'],
      ['an IPv6 literal', 'bob@[IPv6:::1]'],
      ['a hexadecimal IPv4 shorthand', 'bob@0x7f.1'],
      ['a single-label domain', 'bob@localhost'],
      ['an underscore in the domain', 'bob@ex_ample.com'],
      ['a label starting with a hyphen', 'bob@-example.com'],
      ['bad punycode', 'bob@xn--abc.com'],
      ['a port', 'bob@example.com:25'],
      ['a URL fragment after the domain', 'bob@example.com#evil'],
      ['a URL path after the domain', 'bob@example.com/evil'],
      ['a URL query after the domain', 'bob@example.com?evil'],
      ['a backslash after the domain', 'bob@example.com\\evil'],
      ['a percent-encoded domain', 'bob@ex%61mple.com'],
      ['a tab inside the domain', 'bob@exam\tple.com'],
    ])('refuses %s', (_label, input) => {
      expect(() => normalizeEmail(input)).toThrow(InvalidEmailError);
    });

    it.each([undefined, null, 42, true, {}, ['bob@example.com']])('refuses the non-string %p', (input) => {
      expect(() => normalizeEmail(input)).toThrow(InvalidEmailError);
    });
  });
});
