import { isIP } from 'node:net';
import { parseDuration } from '../common/duration.js';

/** Fastify's `trustProxy`: trust nobody, the last `n` hops, or the listed addresses and ranges. */
export type TrustProxy = false | number | string[];

// The names proxy-addr (behind Fastify's trustProxy) knows for the private ranges.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: `false`, a hop count (`1`) or `10.0.0.0/8, 127.0.0.1, loopback`. `true` (trust every
 * hop) is refused: any client could then claim any address and protocol in X-Forwarded-* headers.
 */
export function parseTrustProxy(raw: string): TrustProxy | string {
  const text = raw.trim();
  if (text === 'false' || text === '0') return false;
  if (/^\d{1,2}$/.test(text)) return Number(text);
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.find((entry) => !NAMED_RANGES.has(entry) && !isAddressOrRange(entry));
  return bad === undefined
    ? entries
    : `${JSON.stringify(bad)} is not an IP address, a CIDR range or loopback`;
}

function isAddressOrRange(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}

/** CORS_ORIGINS: exact origins (`https://app.example.com`), no paths, no wildcards. */
export function parseCorsOrigins(raw: string): string[] | string {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const origins: string[] = [];
  for (const entry of entries) {
    const url = URL.canParse(entry) ? new URL(entry) : null;
    // The URL parser lets `*` through in a host name; an origin with one would never match.
    if (!url || !/^https?:$/.test(url.protocol) || url.href !== `${url.origin}/` || entry.includes('*')) {
      return `${JSON.stringify(entry)} is not an origin (http(s)://host[:port], nothing after it)`;
    }
    origins.push(url.origin);
  }
  return origins;
}

/** At most `limit` failures per client address within `windowS` seconds; null turns the limit off. */
export type FailureLimit = { limit: number; windowS: number } | null;

const MAX_WINDOW_MS = 86_400_000;

/** AUTH_FAILURE_LIMIT and the like: `20/1m` (or `20/m`), `100/1h`, `5/30s`; `off` for no limit. */
export function parseFailureLimit(raw: string): FailureLimit | string {
  const text = raw.trim();
  if (text === 'off') return null;
  const [count, window, ...rest] = text.split('/');
  if (window === undefined || rest.length > 0 || !/^\d{1,6}$/.test(count.trim())) {
    return `${JSON.stringify(raw)} is not <count>/<window>`;
  }
  const windowText = window.trim();
  const windowMs = parseDuration(/^[smhd]$/.test(windowText) ? `1${windowText}` : windowText);
  if (Number(count) < 1) return 'the count must be at least 1 (or the whole value off)';
  if (!windowMs || windowMs > MAX_WINDOW_MS) return 'the window must be from 1s to 1d';
  return { limit: Number(count), windowS: windowMs / 1000 };
}
