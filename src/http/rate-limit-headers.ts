/**
 * Where a client stands in one quota policy, in the terms of the IETF draft "RateLimit header fields
 * for HTTP" (draft-ietf-httpapi-ratelimit-headers-10/11): a named policy of `quota` units per
 * `windowS` seconds, `remaining` of them left, restored in `resetS` seconds.
 */
export interface RateLimitStatus {
  /** The policy's name, e.g. `failed-auth`; printable ASCII. */
  policy: string;
  quota: number;
  windowS: number;
  remaining: number;
  resetS: number;
}

/**
 * `RateLimit-Policy: "failed-auth";q=20;w=60` and `RateLimit: "failed-auth";r=0;t=37`: Structured
 * Field lists (RFC 8941), one member per policy, each named by a String as the current draft requires.
 */
export function rateLimitHeaders(
  statuses: RateLimitStatus | readonly RateLimitStatus[],
): Record<'RateLimit-Policy' | 'RateLimit', string> {
  const list = Array.isArray(statuses) ? statuses : [statuses as RateLimitStatus];
  const names = list.map((status) => structuredString(status.policy));
  return {
    'RateLimit-Policy': list
      .map((status, i) => `${names[i]};q=${integer(status.quota)};w=${integer(status.windowS)}`)
      .join(', '),
    RateLimit: list
      .map((status, i) => `${names[i]};r=${integer(status.remaining)};t=${integer(status.resetS)}`)
      .join(', '),
  };
}

/** One member of the RateLimit field, `"name";r=<remaining>;t=<reset s>`, for callers on the hot path. */
export function rateLimitMember(policy: string, remaining: number, resetS: number): string {
  return `${structuredString(policy)};r=${integer(remaining)};t=${integer(resetS)}`;
}

/** The headers of a 429: the RateLimit fields and a Retry-After naming the same moment as `t`. */
export function throttledHeaders(status: RateLimitStatus): Record<string, string> {
  return { 'Retry-After': String(integer(status.resetS)), ...rateLimitHeaders(status) };
}

// Policy names are a handful of constants: each is checked and quoted once.
const quoted = new Map<string, string>();

function structuredString(text: string): string {
  let field = quoted.get(text);
  if (field === undefined) {
    if (!/^[\x20-\x7e]*$/.test(text))
      throw new Error(`A rate limit policy name must be printable ASCII: ${text}`);
    field = `"${text.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
    if (quoted.size < 1000) quoted.set(text, field);
  }
  return field;
}

// Structured Field integers are whole and non-negative here; a fraction of a second rounds up.
function integer(value: number): number {
  return Math.max(0, Math.ceil(value));
}
