import { createHash, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/** Every packgate API key starts with this: recognisable in a leak scan, told apart from a JWT at once. */
export const API_KEY_PREFIX = 'pgk_';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SECRET_LENGTH = 40; // 40 base62 characters: 238 bits of randomness
const CHECKSUM_LENGTH = 6; // base62 of a CRC-32 (at most 6 characters)
const SHOWN_LENGTH = API_KEY_PREFIX.length + 8;
const KEY_SHAPE = new RegExp(`^${API_KEY_PREFIX}[0-9A-Za-z]{${SECRET_LENGTH + CHECKSUM_LENGTH}}$`);

/** A new key: `pgk_` + 40 random base62 characters + a 6-character checksum of them. */
export function generateApiKey(): string {
  const secret = randomBase62(SECRET_LENGTH);
  return `${API_KEY_PREFIX}${secret}${checksumOf(secret)}`;
}

/** A public id for a key (in URLs and listings): says nothing about the key itself. */
export function generateApiKeyId(): string {
  return `key_${randomBase62(16)}`;
}

/**
 * Whether `text` has the shape of a packgate key and its checksum matches: a mistyped or truncated key
 * is refused without a database read.
 */
export function isWellFormedApiKey(text: string): boolean {
  if (!KEY_SHAPE.test(text)) return false;
  const secret = text.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + SECRET_LENGTH);
  return text.endsWith(checksumOf(secret));
}

/** What is stored and looked up: the raw key itself never leaves the process. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The start of the key shown in listings so its owner can tell keys apart (`pgk_1a2B3c4D`). */
export function shownPrefixOf(key: string): string {
  return key.slice(0, SHOWN_LENGTH);
}

function checksumOf(secret: string): string {
  let value = crc32(secret);
  let text = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    text = ALPHABET[value % 62] + text;
    value = Math.floor(value / 62);
  }
  return text;
}

// Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
function randomBase62(length: number): string {
  let text = '';
  while (text.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && text.length < length) text += ALPHABET[byte % 62];
    }
  }
  return text;
}
