import { invalidRequest, ok, type StandInAnswer } from './answers.js';
import { arrayParam } from './request.js';

/** The envelope fields the list reads; the rest of a published event is answered as given. */
export interface PublishedEvent {
  id: string;
  type: string;
  created: number;
  [field: string]: unknown;
}

const BOUNDS = {
  gt: (a: number, b: number) => a > b,
  gte: (a: number, b: number) => a >= b,
  lt: (a: number, b: number) => a < b,
  lte: (a: number, b: number) => a <= b,
};

/**
 * `GET /v1/events` as Stripe documents it: newest first, `limit` 1-100 (default 10), cursors
 * `starting_after` (older than) and `ending_before` (newer than, the nearest ones), `created` exact or
 * with gt/gte/lt/lte, `type` and `types[]`.
 */
export class StandInEvents {
  // Newest first; among events of the same second, the later published first.
  private readonly newestFirst: PublishedEvent[] = [];

  publish(event: PublishedEvent): void {
    const at = this.newestFirst.findIndex((e) => e.created <= event.created);
    this.newestFirst.splice(at === -1 ? this.newestFirst.length : at, 0, event);
  }

  list(params: URLSearchParams): StandInAnswer {
    const limit = params.has('limit') ? Number(params.get('limit')) : 10;
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      return invalidRequest(`Invalid integer: ${params.get('limit')}; limit must be between 1 and 100`, {
        param: 'limit',
      });
    }
    const after = params.get('starting_after');
    const before = params.get('ending_before');
    const cursor = after ?? before;
    const cursorAt = cursor === null ? -1 : this.newestFirst.findIndex((e) => e.id === cursor);
    if (cursor !== null && cursorAt === -1) {
      return invalidRequest(`No such event: '${cursor}'`, {
        code: 'resource_missing',
        param: after !== null ? 'starting_after' : 'ending_before',
      });
    }
    const window =
      after !== null
        ? this.newestFirst.slice(cursorAt + 1)
        : before !== null
          ? this.newestFirst.slice(0, cursorAt)
          : this.newestFirst;
    const matching = window.filter(matcher(params));
    const data = before !== null ? matching.slice(-limit) : matching.slice(0, limit);
    return ok({ object: 'list', url: '/v1/events', has_more: matching.length > limit, data });
  }

  clear(): void {
    this.newestFirst.length = 0;
  }
}

function matcher(params: URLSearchParams): (event: PublishedEvent) => boolean {
  const types = arrayParam(params, 'types');
  const type = params.get('type');
  const exactly = params.get('created');
  const bounds = Object.entries(BOUNDS)
    .filter(([name]) => params.has(`created[${name}]`))
    .map(
      ([name, holds]) =>
        (created: number) =>
          holds(created, Number(params.get(`created[${name}]`))),
    );
  return (event) =>
    (types.length === 0 || types.includes(event.type)) &&
    (type === null || typeMatches(event.type, type)) &&
    (exactly === null || event.created === Number(exactly)) &&
    bounds.every((holds) => holds(event.created));
}

// `type` may end in a wildcard: `checkout.session.*`.
function typeMatches(type: string, pattern: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern;
}
