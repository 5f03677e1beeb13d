import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

/** The routes packgate's answers point callers to: the `checkout` and `portal` hints. */
export const HINTED_PATHS: ReadonlySet<string> = new Set(['/payments/checkout', '/payments/portal']);

/**
 * Where this app serves each hinted route. An app's global prefix (set in `createApp({ configure })`)
 * moves them, and a hint must name the route as served: learnt from Fastify as routes are registered.
 */
@Injectable()
export class ServedPaths {
  private readonly served = new Map<string, string>();
  /** Whether any hinted route is served elsewhere than its own path (only then is there anything to rewrite). */
  private moved = false;

  watch(fastify: FastifyInstance): void {
    fastify.addHook('onRoute', ({ url }) => {
      for (const path of HINTED_PATHS) {
        // packgate's own unprefixed route wins over an app's route that merely ends the same way.
        if (url.endsWith(path) && this.served.get(path) !== path) this.served.set(path, url);
      }
      this.moved = [...this.served].some(([path, url]) => url !== path);
    });
  }

  /** `path` as this app serves it. */
  of(path: string): string {
    return this.served.get(path) ?? path;
  }

  /** `details` with every hinted path (at the top level or one object down) as this app serves it. */
  inDetails(details: Record<string, unknown>): Record<string, unknown> {
    if (!this.moved) return details; // every 402 and 429 comes here: no copy when nothing moved
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(details)) {
      if (typeof value === 'string' && HINTED_PATHS.has(value)) out[key] = this.of(value);
      else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        out[key] = Object.fromEntries(
          Object.entries(value).map(([k, v]) => [
            k,
            typeof v === 'string' && HINTED_PATHS.has(v) ? this.of(v) : v,
          ]),
        );
      } else out[key] = value;
    }
    return out;
  }
}
