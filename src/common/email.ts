import { domainToASCII, domainToUnicode } from 'node:url';
import { DomainError } from './domain-error.js';

export class InvalidEmailError extends DomainError {
  readonly code = 'USERS.INVALID_EMAIL';
}

/** An email address in packgate's canonical form; only {@link normalizeEmail} makes one. */
export type Email = string & { readonly __brand: 'Email' };

// RFC 5322 dot-atom local part, ASCII only: no quoted strings, no comments.
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
// The only ASCII a domain may bring; anything else is left to UTS #46.
const NON_DOMAIN_ASCII = /[^A-Za-z0-9.\-\u0080-\u{10FFFF}]/u;
const DOMAIN_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const ASCII_WHITESPACE = /^[ \t\r\n\f\v]+|[ \t\r\n\f\v]+$/g;

/**
 * The one canonical form of an email identity:
 * - surrounding ASCII white space is trimmed;
 * - the local part must be ASCII (dot-atom) and is lower-cased: Unicode local parts are refused, since
 *   no mail standard says which of their spellings are the same mailbox, and guessing could merge people;
 * - the domain goes through IDNA (UTS #46, as browsers and DNS do), so `bücher.example` and
 *   `xn--bcher-kva.example` — the same DNS name — are one identity, and is lower-cased;
 * - nothing provider-specific is removed (`+tags`, dots): those are different addresses elsewhere.
 * Anything else throws {@link InvalidEmailError}.
 */
export function normalizeEmail(input: unknown): Email {
  if (typeof input !== 'string') throw invalid('an email address must be a string');
  const trimmed = input.replace(ASCII_WHITESPACE, '');
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) throw invalid('an email address needs a local part and a domain');
  // Checked before lower-casing: toLowerCase() turns some non-ASCII letters (the Kelvin sign K) into ASCII.
  const local = trimmed.slice(0, at);
  if (local.length > 64 || !LOCAL_PART.test(local)) {
    throw invalid("the part before @ must be 1-64 ASCII letters, digits or !#$%&'*+/=?^_`{|}~.- characters");
  }
  const domain = asciiDomain(trimmed.slice(at + 1));
  const email = `${local.toLowerCase()}@${domain}`;
  if (email.length > 254) throw invalid('an email address is at most 254 characters');
  return email as Email;
}

function asciiDomain(raw: string): string {
  // domainToASCII applies UTS #46 mapping (case folding, width folding) and punycode; '' means invalid.
  // It is also the URL host parser: it would percent-decode, drop tabs and newlines, and cut at / ? # \,
  // turning `example.com#x` into someone else's `example.com`; such input is refused before it.
  const domain = NON_DOMAIN_ASCII.test(raw) ? '' : domainToASCII(raw);
  const labels = domain.split('.');
  const topLevel = labels[labels.length - 1];
  const valid = labels.every((label) => DOMAIN_LABEL.test(label) && decodesAsPunycode(label));
  if (!domain || labels.length < 2 || /^\d+$/.test(topLevel) || !valid) {
    throw invalid('the part after @ must be a domain name such as example.com');
  }
  return domain;
}

// Node versions differ on invalid punycode (`xn--abc`): 20 refuses it, 24 passes it through unchanged.
// Checking that an xn-- label decodes gives one answer everywhere.
function decodesAsPunycode(label: string): boolean {
  if (!label.startsWith('xn--')) return true;
  const decoded = domainToUnicode(label);
  return decoded !== '' && !decoded.startsWith('xn--');
}

function invalid(reason: string): InvalidEmailError {
  return new InvalidEmailError(`Invalid email address: ${reason}.`);
}
