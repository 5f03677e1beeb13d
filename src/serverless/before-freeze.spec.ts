import { describe, expect, it } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator.js';
import { generateApiKey } from '../api-keys/api-key.js';
import { ApiKeysRepository, type ApiKeyOwner } from '../api-keys/api-keys.repository.js';
import type { AppConfig } from '../config/app-config.js';
import type { Email } from '../common/email.js';
import { UsageCounters, type LeaseResult } from '../usage/usage-counters.js';
import { parseUsageLimit, type UsageLimit } from '../usage/usage-limit.js';
import { UsageLimiter } from '../usage/usage-limiter.js';

/** Work the test lets finish when it chooses: what a DynamoDB call frozen mid-flight looks like. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const config = (values: Partial<AppConfig>) =>
  ({ get: (key: keyof AppConfig) => values[key] }) as unknown as ConfigService<AppConfig, true>;

const settledWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), ms))]);

describe('settling before a Lambda is frozen', () => {
  it('ApiKeyAuthenticator.settle() waits for the lastUsedAt write a use started', async () => {
    const write = gate();
    const owner: ApiKeyOwner = { id: 'key_1', email: 'a@example.com' as Email, hash: 'h' };
    const keys = {
      findByHash: async () => owner,
      touch: () => write.opened,
    } as unknown as ApiKeysRepository;
    const authenticator = new ApiKeyAuthenticator(
      keys,
      config({ apiKeys: { maxPerUser: 10, cacheTtlMs: 1000, cacheMax: 10 } }),
    );
    await authenticator.authenticate(generateApiKey());
    const settled = authenticator.settle();
    expect(await settledWithin(settled, 50)).toBe(false);
    write.open();
    expect(await settledWithin(settled, 50)).toBe(true);
  });

  it('UsageLimiter.settle() waits for a lease under way', async () => {
    const leases: Array<{ wanted: number; used: number }> = [];
    const lease = gate();
    const counters = {
      lease: async (_c: unknown, _q: number, wanted: number, used: number): Promise<LeaseResult> => {
        leases.push({ wanted, used });
        if (wanted > 0 && leases.length > 1) await lease.opened;
        return { granted: wanted, leasedInWindow: wanted };
      },
    } as unknown as UsageCounters;
    const limiter = new UsageLimiter(counters, config({ entitlementCache: { ttlMs: 5000, maxEntries: 10 } }));
    // Leases of 2: the 1st request waits for one; it leaves half a lease, so the next is asked for at once.
    const limit = parseUsageLimit('40/h') as UsageLimit;
    const email = 'b@example.com' as Email;
    await limiter.take(email, [limit], Date.now());
    await limiter.take(email, [limit], Date.now());
    expect(leases).toEqual([
      { wanted: 2, used: 0 },
      { wanted: 2, used: 1 },
    ]);
    const settled = limiter.settle(0);
    expect(await settledWithin(settled, 50)).toBe(false);
    lease.open();
    expect(await settledWithin(settled, 50)).toBe(true);
  });
});
