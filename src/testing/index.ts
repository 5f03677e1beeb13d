import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { signDevToken } from '../auth/dev-token.js';
import type { AppConfig } from '../config/app-config.js';
import { normalizeEmail, type Email } from '../common/email.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import { UsersRepository } from '../users/users.repository.js';

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
 * Testing kit for apps built on packgate: registers a user at `pkg` (a catalog name or id, 0/'none'
 * for no package) in the app's real DynamoDB table and returns a bearer token for it. The app must
 * run in development-token mode (AUTH_DEV_SECRET, or no AUTH_ISSUER outside production).
 */
export async function createTestCaller(
  app: INestApplication,
  pkg: string | number,
  options: TestCallerOptions = {},
): Promise<TestCaller> {
  const target = app.get(PackageCatalog).find(pkg);
  if (!target) throw new Error(`createTestCaller: no package ${JSON.stringify(pkg)} in PACKAGES`);
  const email = normalizeEmail(options.email ?? `test-${randomUUID()}@example.com`);
  const users = app.get(UsersRepository);
  await users.addUser(email);
  await users.setUserPackage(email, target.id);
  const token = await signDevToken(app.get<ConfigService<AppConfig, true>>(ConfigService).get('auth'), email);
  return { email, packageId: target.id, token, headers: { authorization: `Bearer ${token}` } };
}
