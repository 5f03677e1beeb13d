import { describe, expect, it } from '@jest/globals';
import { LedgerTables } from '../support/ledger-items.js';
import { deliver, newPurchase, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { uniqueEmail } from '../support/tokens.js';

const event = () => stripeEvents.checkoutCompleted(newPurchase(uniqueEmail('envelope'), 2));
const without = (key: string) => {
  const { [key]: _dropped, ...rest } = event() as Record<string, unknown>;
  return rest;
};

describe('payments webhook: signed bodies that are not Stripe events', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES });
  const tables = new LedgerTables(dynamo, t);

  it.each<[string, unknown]>([
    ['null', null],
    ['a number', 42],
    ['an array', [event()]],
    ['no id', without('id')],
    ['a numeric id', { ...event(), id: 42 }],
    ['an empty id', { ...event(), id: '' }],
    ['an id that is not evt_…', { ...event(), id: 'ch_123' }],
    ['a 2 KB id', { ...event(), id: `evt_${'a'.repeat(2048)}` }],
    ['no type', without('type')],
    ['no created', without('created')],
    ['no data', without('data')],
    ['data: null', { ...event(), data: null }],
    ['data.object: null', { ...event(), data: { object: null } }],
    ['data.object a string', { ...event(), data: { object: 'cs_1' } }],
  ])('%s → 400 PAYMENTS.INVALID_EVENT, nothing written', async (_case, body) => {
    const before = await tables.ledgerItems();
    const response = await deliver(t.app, JSON.stringify(body));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ statusCode: 400, code: 'PAYMENTS.INVALID_EVENT' });
    expect(await tables.ledgerItems()).toEqual(before);
  });

  it('a well-formed event after all of those still applies', async () => {
    await deliver(t.app, JSON.stringify(without('id')));
    await deliver(t.app, JSON.stringify({ ...event(), id: 42 }));
    const evt = event();
    const response = await deliver(t.app, evt);
    expect(response.json()).toEqual({ received: true, outcome: 'applied' });
    expect(await tables.marker(evt.id)).toBeDefined();
    expect(await tables.ledgerItems()).not.toContainEqual(expect.objectContaining({ pk: 'EVENT#undefined' }));
    expect(await tables.ledgerItems()).not.toContainEqual(expect.objectContaining({ pk: 'EVENT#42' }));
  });

  it.each<[string, Record<string, unknown>]>([
    ['an empty payment intent', { payment_intent: '' }],
    ['a 2 KB payment intent', { payment_intent: `pi_${'a'.repeat(2048)}` }],
    ['a session id that is not cs_…', { id: 'x' }],
  ])('a paid session with %s is parked, not keyed on', async (_case, fields) => {
    const evt = event();
    Object.assign(evt.data.object, fields);
    const response = await deliver(t.app, evt);
    expect(response.json()).toEqual({ received: true, outcome: 'parked' });
    expect(await tables.marker(evt.id)).toBeUndefined();
    const grants = (await tables.ledgerItems()).filter((item) => String(item.pk).startsWith('GRANT#'));
    expect(grants).not.toContainEqual(expect.objectContaining({ pk: 'GRANT#' }));
  });
});
