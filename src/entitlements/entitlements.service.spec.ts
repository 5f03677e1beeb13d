import { describe, expect, it } from '@jest/globals';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config.js';
import type { Email } from '../common/email.js';
import type { PackageAccess } from '../users/package-access.js';
import { UserPackageChanges } from '../users/user-package-changes.js';
import { UsersRepository } from '../users/users.repository.js';
import { EntitlementsService } from './entitlements.service.js';

const ALICE = 'alice@example.com' as Email;

/** A users store whose reads wait until the test releases them, counting every read. */
class GatedUsers extends UsersRepository {
  reads = 0;
  packageId = 1;
  until: number | null = null;
  private pending: Array<() => void> = [];

  async getPackageAccess(): Promise<PackageAccess> {
    this.reads++;
    const { packageId, until } = this; // the value as of when the read started
    await new Promise<void>((release) => this.pending.push(release));
    return { packageId, until };
  }
  release() {
    this.pending.splice(0).forEach((release) => release());
  }
  getUser(): never {
    throw new Error('not used');
  }
  addUser(): never {
    throw new Error('not used');
  }
  setUserPackage(): never {
    throw new Error('not used');
  }
  getPackageState(): never {
    throw new Error('not used');
  }
  packageWrite(): never {
    throw new Error('not used');
  }
}

function service(users: UsersRepository, changes: UserPackageChanges, ttlMs: number) {
  const config = new ConfigService<AppConfig, true>({ entitlementCache: { ttlMs, maxEntries: 100 } });
  return new EntitlementsService(users, changes, config);
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('EntitlementsService', () => {
  it('shares one DynamoDB read among concurrent misses for a user', async () => {
    const users = new GatedUsers();
    const entitlements = service(users, new UserPackageChanges(), 5000);
    const answers = Promise.all(Array.from({ length: 20 }, () => entitlements.packageOf(ALICE)));
    await settle();
    users.release();
    expect(await answers).toEqual(Array(20).fill(1));
    expect(users.reads).toBe(1);
    await expect(entitlements.packageOf(ALICE)).resolves.toBe(1);
    expect(users.reads).toBe(1);
  });

  it('keeps a change published during a pending read instead of the older value the read brings', async () => {
    const users = new GatedUsers();
    const changes = new UserPackageChanges();
    const entitlements = service(users, changes, 5000);
    const pendingRead = entitlements.packageOf(ALICE);
    await settle();
    users.packageId = 2;
    changes.publish(ALICE, 2);
    users.release();
    await expect(pendingRead).resolves.toBe(1); // that request started before the upgrade
    await expect(entitlements.packageOf(ALICE)).resolves.toBe(2);
    expect(users.reads).toBe(1);
  });

  it('reads again after a change whose value this instance does not know', async () => {
    const users = new GatedUsers();
    const changes = new UserPackageChanges();
    const entitlements = service(users, changes, 5000);
    const first = entitlements.packageOf(ALICE);
    await settle();
    users.release();
    await expect(first).resolves.toBe(1);
    users.packageId = 2;
    changes.publishUnknown(ALICE);
    const second = entitlements.packageOf(ALICE);
    await settle();
    users.release();
    await expect(second).resolves.toBe(2);
    expect(users.reads).toBe(2);
  });

  it('reads on every call when the TTL is 0', async () => {
    const users = new GatedUsers();
    const entitlements = service(users, new UserPackageChanges(), 0);
    const answers = Promise.all([entitlements.packageOf(ALICE), entitlements.packageOf(ALICE)]);
    await settle();
    users.release();
    await answers;
    expect(users.reads).toBe(2);
  });

  it('keeps no entry past the moment its package lapses (a subscription ending)', async () => {
    const users = new GatedUsers();
    const changes = new UserPackageChanges();
    const entitlements = service(users, changes, 5000);
    users.until = Date.now() + 60;
    const read = entitlements.packageOf(ALICE);
    await settle();
    users.release();
    await expect(read).resolves.toBe(1);
    expect(entitlements.cachedEntitlementOf(ALICE)?.packageId).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(entitlements.cachedEntitlementOf(ALICE)?.packageId).toBeUndefined();
    changes.publish(ALICE, 2, Date.now() + 60);
    expect(entitlements.cachedEntitlementOf(ALICE)?.packageId).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(entitlements.cachedEntitlementOf(ALICE)?.packageId).toBeUndefined();
  });
});
