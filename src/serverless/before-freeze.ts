import type { INestApplication } from '@nestjs/common';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator.js';
import { UsageLimiter } from '../usage/usage-limiter.js';

/** Counts older than this are reported before an invocation returns; younger ones wait for the next lease. */
export const USAGE_REPORT_MAX_AGE_MS = 10_000;

/**
 * What must happen before a Lambda handler returns, since the process is frozen right after and a
 * DynamoDB call caught mid-flight would only time out on thaw: usage leases under way finish and
 * older counts are reported; `lastUsedAt` writes of API keys finish. Caches need nothing (their TTLs
 * run on the wall clock, so a thawed container drops what expired while it slept).
 */
export async function settleBeforeFreeze(app: INestApplication): Promise<void> {
  await Promise.all([
    app.get(UsageLimiter).settle(USAGE_REPORT_MAX_AGE_MS),
    app.get(ApiKeyAuthenticator).settle(),
  ]);
}
