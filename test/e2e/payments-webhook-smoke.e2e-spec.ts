import { describe, expect, it } from '@jest/globals';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { deliver, newPurchase, stripeEvents, TEST_PACKAGES } from '../support/stripe-events.js';
import { bearer, devToken, uniqueEmail } from '../support/tokens.js';

describe('payments webhook: purchase and refund', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { PACKAGES: TEST_PACKAGES });

  it('grants on a paid checkout and takes it back on a full refund', async () => {
    const email = uniqueEmail();
    const headers = bearer(await devToken(email));
    const purchase = newPurchase(email, 2);
    const granted = await deliver(t.app, stripeEvents.checkoutCompleted(purchase));
    expect(granted.statusCode).toBe(200);
    expect(granted.json()).toEqual({ received: true, outcome: 'applied' });
    expect((await t.app.inject({ method: 'GET', url: '/content/pro', headers })).statusCode).toBe(200);
    const me = await t.app.inject({ method: 'GET', url: '/users/me', headers });
    expect(me.json()).toMatchObject({ email, packageId: 2 });

    const refunded = await deliver(t.app, stripeEvents.refunded(purchase));
    expect(refunded.json()).toEqual({ received: true, outcome: 'applied' });
    expect((await t.app.inject({ method: 'GET', url: '/content/pro', headers })).statusCode).toBe(402);
  });
});
