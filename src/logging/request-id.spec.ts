import { describe, expect, it } from '@jest/globals';
import type { IncomingMessage } from 'node:http';
import { requestIdOf } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const withHeader = (value?: string | string[]) =>
  ({ headers: value === undefined ? {} : { 'x-request-id': value } }) as unknown as IncomingMessage;

describe('requestIdOf', () => {
  it.each([
    'b3c1f8e2-6a9d-4d8e-9f1a-2c3b4d5e6f70',
    '01HZX3J5W6K7M8N9P0Q1R2S3T4',
    'Root=1-5759e988-bd862e3fe1be46a994272793',
    'a'.repeat(128),
  ])('keeps %s', (given) => {
    expect(requestIdOf(withHeader(given))).toBe(given);
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['too long', 'a'.repeat(129)],
    ['with a space', 'a b'],
    ['with a line break', 'a\nb'],
    ['with a quote', 'a"b'],
    ['sent twice', ['one', 'two']],
  ])('generates a UUID when the header is %s', (_case, given) => {
    expect(requestIdOf(withHeader(given))).toMatch(UUID);
  });

  it('generates a different id each time', () => {
    expect(requestIdOf(withHeader())).not.toBe(requestIdOf(withHeader()));
  });
});
