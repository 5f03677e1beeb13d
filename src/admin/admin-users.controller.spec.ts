import { describe, expect, it } from '@jest/globals';
import type { Email } from '../common/email.js';
import { PackageCatalog } from '../entitlements/package-catalog.js';
import type { LedgerService } from '../payments/ledger/ledger.service.js';
import { AdminUsersController } from './admin-users.controller.js';

const STAFF = { email: 'boss@example.com' as Email };

/** A ledger that derives `derived`, whatever was asked, and records what it was asked. */
function ledgerDeriving(derived: number) {
  const asked: unknown[][] = [];
  const ledger = {
    async setPackageByStaff(...args: unknown[]) {
      asked.push(args);
      return derived;
    },
  };
  return { ledger: ledger as unknown as LedgerService, asked };
}

// Within one consistent ledger the derived package is the one asked for; the answer must still be
// read from the ledger's result (a concurrent change or a future rule may make them differ).
describe('PUT /admin/users/:email/package answers what the ledger derived', () => {
  const catalog = new PackageCatalog([
    { id: 1, name: 'basic', stripePriceIds: [] },
    { id: 2, name: 'pro', stripePriceIds: [] },
  ]);

  it.each([
    [1, 'basic'],
    [0, 'none'],
    [7, 'package-7'],
  ])('asked for pro, derived %d → answers %s', async (derived, name) => {
    const { ledger, asked } = ledgerDeriving(derived);
    const controller = new AdminUsersController(ledger, catalog);
    const answer = await controller.setPackage('Alice@Example.com', { package: 'pro', reason: 'x' }, STAFF);
    expect(answer).toEqual({ email: 'alice@example.com', packageId: derived, package: name });
    expect(asked).toEqual([['alice@example.com', 2, STAFF.email, 'x']]);
  });
});
