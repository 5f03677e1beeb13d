/** One limit of a package: at most `quota` requests per window. */
export interface UsageLimit {
  /** The policy's name in headers and answers: its window, as written (`min`, `month`, `10s`). */
  readonly policy: string;
  readonly quota: number;
  readonly window: UsageWindow;
}

/** Fixed windows: `ms` long from the epoch, or calendar months (UTC). */
export type UsageWindow = { readonly kind: 'fixed'; readonly ms: number } | { readonly kind: 'month' };

/** The window `at` falls in: its id (for counters) and its bounds. */
export interface WindowSpan {
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

const UNIT_MS: Record<string, number> = {
  s: 1000,
  sec: 1000,
  min: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** `600/min`, `100000/month`, `20/10s`: the limit, or a message saying what is wrong. */
export function parseUsageLimit(text: string): UsageLimit | string {
  const match = /^(\d{1,12})\/(\d{0,6})([a-z]+)$/.exec(text.trim());
  if (!match) return `"${text}" is not <count>/<window> (e.g. 600/min, 100000/month, 20/10s)`;
  const [, count, multiplierText, unit] = match;
  const quota = Number(count);
  const multiplier = multiplierText === '' ? 1 : Number(multiplierText);
  if (quota < 1 || multiplier < 1) return `"${text}": the count and the window must be at least 1`;
  const policy = `${multiplierText}${unit}`;
  if (unit === 'month') {
    if (multiplier !== 1) return `"${text}": a monthly limit is per one calendar month`;
    return { policy, quota, window: { kind: 'month' } };
  }
  const unitMs = UNIT_MS[unit];
  if (!unitMs) return `"${text}": the window unit must be s, min, h, day or month`;
  return { policy, quota, window: { kind: 'fixed', ms: unitMs * multiplier } };
}

export function windowAt(window: UsageWindow, at: number): WindowSpan {
  if (window.kind === 'month') {
    const date = new Date(at);
    const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    const end = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
    return { id: new Date(start).toISOString().slice(0, 7), start, end };
  }
  const start = at - (at % window.ms);
  return { id: String(start), start, end: start + window.ms };
}

/** The window's length in seconds, as RateLimit-Policy's `w` states it (a month: its current length). */
export function windowSeconds(window: UsageWindow, at: number): number {
  const span = windowAt(window, at);
  return Math.round((span.end - span.start) / 1000);
}
