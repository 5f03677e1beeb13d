import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { LedgerTables } from '../support/ledger-items.js';
import { deliver, newPurchase, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

type Session = { client_reference_id: string | null; metadata: Record<string, string> };

describe('payments webhook: whose package it is', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES });
  const tables = new LedgerTables(dynamo, t);

  it('a buyer who never registered gets a user item; registering later keeps the package', async () => {
    const purchase = newPurchase(uniqueEmail('unregistered'), 2);
    const response = await deliver(t.app, stripeEvents.checkoutCompleted(purchase));
    expect(response.json()).toEqual({ received: true, outcome: 'applied' });
    expect(await tables.user(purchase.email)).toMatchObject({
      email: purchase.email,
      package_id: 2,
      grants: { [purchase.paymentIntent]: 2 },
      version: 1,
    });

    const headers = bearer(await devToken(purchase.email));
    const registered = await t.app.inject({ method: 'POST', url: '/users/me', headers });
    expect(registered.statusCode).toBe(200);
    expect(registered.json()).toMatchObject({ email: purchase.email, packageId: 2 });
    const me = await t.app.inject({ method: 'GET', url: '/users/me', headers });
    expect(me.json()).toMatchObject({ email: purchase.email, packageId: 2 });
  });

  it('a registered user is upgraded in place, keeping created_at', async () => {
    const email = uniqueEmail('registered');
    const headers = bearer(await devToken(email));
    const created = await t.app.inject({ method: 'POST', url: '/users/me', headers });
    expect(created.statusCode).toBe(201);
    await deliver(t.app, stripeEvents.checkoutCompleted(newPurchase(email, 1)));
    const me = (await t.app.inject({ method: 'GET', url: '/users/me', headers })).json();
    expect(me).toMatchObject({ email, packageId: 1, createdAt: created.json().createdAt });
  });

  it("a package written before the ledger (the tutorial's string package_id) becomes an external grant", async () => {
    const email = uniqueEmail('legacy');
    await dynamo.client.send(new PutCommand({ TableName: t.tableName, Item: { email, package_id: '2' } }));
    const basic = newPurchase(email, 1);
    await deliver(t.app, stripeEvents.checkoutCompleted(basic));
    const user = await tables.user(email);
    const external = Object.keys(user?.grants as object).find((key) => key.startsWith('external:'));
    expect(user).toMatchObject({
      package_id: 2,
      grants: { [external!]: 2, [basic.paymentIntent]: 1 },
      version: 2, // the external grant, then the purchase
    });
    await deliver(t.app, stripeEvents.refunded(basic));
    expect(await tables.packageOf(email)).toBe(2);
    expect((await tables.audit(email)).map(({ from, to, source }) => ({ from, to, source }))).toEqual([
      { from: 0, to: 2, source: { type: 'external' } },
    ]);
  });

  it('never uses the email the buyer typed at Stripe', async () => {
    const purchase = newPurchase(uniqueEmail('ours'), 2);
    const evt = stripeEvents.checkoutCompleted(purchase);
    const typed = (evt.data.object as { customer_details: { email: string } }).customer_details.email;
    await deliver(t.app, evt);
    expect(await tables.packageOf(purchase.email)).toBe(2);
    expect(await tables.user(typed)).toBeUndefined();
    expect(await tables.audit(typed)).toEqual([]);
  });

  it('a session naming no packgate user (only the typed email) is parked for staff, not granted', async () => {
    const purchase = newPurchase(uniqueEmail('nobody'), 2);
    const evt = stripeEvents.checkoutCompleted(purchase);
    const session = evt.data.object as Session;
    session.client_reference_id = null;
    const { email: _email, ...metadata } = session.metadata;
    session.metadata = metadata;
    const response = await deliver(t.app, evt);
    expect(response.json()).toEqual({ received: true, outcome: 'parked' });
    expect(await tables.user(purchase.email)).toBeUndefined();
    expect(await tables.grant(purchase.paymentIntent)).toBeUndefined();
    expect(await tables.unapplied(evt.id)).toMatchObject({
      reason: expect.stringContaining('names no packgate user'),
    });
  });

  it('client_reference_id is normalized like every packgate identity', async () => {
    const email = uniqueEmail('mixed');
    const purchase = newPurchase(email, 1);
    const evt = stripeEvents.checkoutCompleted(purchase);
    (evt.data.object as Session).client_reference_id = `  ${email.toUpperCase()} `;
    await deliver(t.app, evt);
    expect(await tables.packageOf(email)).toBe(1);
  });

  it('the ledger keeps an audit entry per package change, naming the event', async () => {
    const email = uniqueEmail('audited');
    const [basic, pro] = [newPurchase(email, 1), newPurchase(email, 2)];
    const steps = [
      stripeEvents.checkoutCompleted(basic),
      stripeEvents.checkoutCompleted(pro),
      stripeEvents.refunded(basic), // changes grants, not the package: no entry
      stripeEvents.refunded(pro),
    ];
    for (const evt of steps) await deliver(t.app, evt);

    const entries = await tables.audit(email);
    expect(entries.map(({ from, to, source }) => ({ from, to, source }))).toEqual([
      { from: 0, to: 1, source: { type: 'stripe', eventId: steps[0].id, eventType: steps[0].type } },
      { from: 1, to: 2, source: { type: 'stripe', eventId: steps[1].id, eventType: steps[1].type } },
      { from: 2, to: 0, source: { type: 'stripe', eventId: steps[3].id, eventType: steps[3].type } },
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ email, at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      expect(entry.sk).toEqual(expect.stringContaining(entry.at as string));
    }
  });
});
