import { invalidRequest, ok, type StandInAnswer } from './answers.js';
import type { SubscriptionObject } from './subscription-object.js';

const STATUSES = [
  'active',
  'all',
  'canceled',
  'ended',
  'incomplete',
  'incomplete_expired',
  'past_due',
  'paused',
  'trialing',
  'unpaid',
];

/**
 * `GET /v1/subscriptions` as Stripe documents it: newest first, `limit` 1-100 (default 10),
 * `starting_after`, and filters `customer`, `price` and `status` — without one, every subscription
 * not canceled; `ended` is canceled or incomplete_expired; `all` is every one.
 */
export function listSubscriptions(
  all: readonly SubscriptionObject[],
  params: URLSearchParams,
): StandInAnswer {
  const status = params.get('status');
  if (status !== null && !STATUSES.includes(status)) {
    return invalidRequest(`Invalid status: must be one of ${STATUSES.join(', ')}`, { param: 'status' });
  }
  const limit = params.has('limit') ? Number(params.get('limit')) : 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
    return invalidRequest(`Invalid integer: ${params.get('limit')}; limit must be between 1 and 100`, {
      param: 'limit',
    });
  }
  // Insertion order is creation order: reversed, the latest created first.
  const newestFirst = [...all].reverse().sort((a, b) => b.created - a.created);
  const after = params.get('starting_after');
  const cursorAt = after === null ? -1 : newestFirst.findIndex((s) => s.id === after);
  if (after !== null && cursorAt === -1) {
    return invalidRequest(`No such subscription: '${after}'`, {
      code: 'resource_missing',
      param: 'starting_after',
    });
  }
  const customer = params.get('customer');
  const price = params.get('price');
  const matching = newestFirst
    .slice(cursorAt + 1)
    .filter((s) => customer === null || s.customer === customer)
    .filter((s) => price === null || s.items.data.some((item) => item.price.id === price))
    .filter((s) => statusMatches(s.status, status));
  return ok({
    object: 'list',
    url: '/v1/subscriptions',
    has_more: matching.length > limit,
    data: matching.slice(0, limit),
  });
}

function statusMatches(status: string, wanted: string | null): boolean {
  if (wanted === null) return status !== 'canceled';
  if (wanted === 'all') return true;
  if (wanted === 'ended') return status === 'canceled' || status === 'incomplete_expired';
  return status === wanted;
}
