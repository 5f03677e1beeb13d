/**
 * The RateLimit-Policy and RateLimit fields of draft-ietf-httpapi-ratelimit-headers (10+): structured
 * field lists of policies, `"name";q=<quota>;w=<window s>` and `"name";r=<remaining>;t=<reset s>`.
 */
export interface RateLimitPolicy {
  name: string;
  quota: number;
  windowS: number;
}

export interface RateLimitState {
  name: string;
  remaining: number;
  resetS: number;
}

export function rateLimitPolicyField(policies: readonly RateLimitPolicy[]): string {
  return policies.map(({ name, quota, windowS }) => `"${name}";q=${quota};w=${windowS}`).join(', ');
}

export function rateLimitField(states: readonly RateLimitState[]): string {
  return states
    .map(({ name, remaining, resetS }) => `"${name}";r=${Math.max(0, remaining)};t=${Math.max(0, resetS)}`)
    .join(', ');
}
