import { describe, expect, it } from '@jest/globals';
import { LedgerService } from '../../src/payments/ledger/ledger.service.js';
import { createTestCaller, TEST_KIT_STAFF } from '../../src/testing/index.js';
import { LedgerTables } from '../support/ledger-items.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';

describe('packgate/testing: createTestCaller', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo);
  const tables = new LedgerTables(dynamo, t);

  it('gives the package through the ledger: a staff grant, audited, as the admin API leaves it', async () => {
    const caller = await createTestCaller(t.app, 'pro');
    expect(caller.packageId).toBe(2);
    const history = await t.app.get(LedgerService).history(caller.email);
    expect(history).toEqual([
      expect.objectContaining({ from: 0, to: 2, source: { type: 'staff', staffEmail: TEST_KIT_STAFF } }),
    ]);
    const grants = (await tables.ledgerItems()).filter(
      (item) => String(item.pk).startsWith('GRANT#') && item.email === caller.email,
    );
    expect(grants).toEqual([expect.objectContaining({ packageId: 2 })]);
    const me = await t.app.inject({ method: 'GET', url: '/users/me', headers: caller.headers });
    expect(me.json()).toMatchObject({ email: caller.email, packageId: 2 });
  });

  it('registers a caller without a package with no grant and no history', async () => {
    const caller = await createTestCaller(t.app, 'none');
    expect(await t.app.get(LedgerService).history(caller.email)).toEqual([]);
    const me = await t.app.inject({ method: 'GET', url: '/users/me', headers: caller.headers });
    expect(me.json()).toMatchObject({ packageId: 0 });
  });

  it('refuses a package the catalog does not have', async () => {
    await expect(createTestCaller(t.app, 'platinum')).rejects.toThrow('no package "platinum" in PACKAGES');
  });
});
