import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { signDevToken } from '../auth/dev-token.js';
import type { AppConfig } from '../config/app-config.js';
import { normalizeEmail, type Email } from '../common/email.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import { LedgerService } from '../payments/ledger/ledger.service.js';
import { UsersRepository } from '../users/users.repository.js';

/** The staff member the kit's grants are recorded under, as a staff grant made through the admin API is. */
export const TEST_KIT_STAFF = normalizeEmail('test-kit@packgate.invalid');

export interface TestCaller {
  email: Email;
  packageId: number;
  token: string;
  /** Ready to spread into a request's headers. */
  headers: { authorization: string };
}

export interface TestCallerOptions {
  /** Defaults to a unique address, so tests never share users. */
  email?: string;
}

/**
 * Registers a user in the app's real DynamoDB tables and gives them `pkg` (a catalog name or id;
 * 0/'none' for no package) the way production does: a staff grant through the ledger, so the user
 * item, its grants and the history are what `PUT /admin/users/:email/package` leaves. Returns a bearer
 * token for the user; the app must run with development tokens (AUTH_DEV_SECRET, or no AUTH_ISSUER
 * outside production).
 */
export async function createTestCaller(
  app: INestApplication,
  pkg: string | number,
  options: TestCallerOptions = {},
): Promise<TestCaller> {
  const target = app.get(PackageCatalog).find(pkg);
  if (!target) throw new Error(`createTestCaller: no package ${JSON.stringify(pkg)} in PACKAGES`);
  const email = normalizeEmail(options.email ?? `test-${randomUUID()}@example.com`);
  await app.get(UsersRepository).addUser(email);
  if (target.id > 0) {
    await app.get(LedgerService).setPackageByStaff(email, target.id, TEST_KIT_STAFF, 'createTestCaller');
  }
  const token = await signDevToken(app.get<ConfigService<AppConfig, true>>(ConfigService).get('auth'), email);
  return { email, packageId: target.id, token, headers: { authorization: `Bearer ${token}` } };
}
