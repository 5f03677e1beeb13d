import { describe, expect, it } from '@jest/globals';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each<[string, number]>([
    ['0', 0],
    ['90s', 90_000],
    ['15m', 900_000],
    ['72h', 259_200_000],
    ['3d', 259_200_000],
    [' 12h ', 43_200_000],
  ])('reads %j', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '3', 'h', '-1h', '1.5h', '3 days', '1w', '0x10s'])('refuses %j', (text) =>
    expect(parseDuration(text)).toBeNull(),
  );
});
