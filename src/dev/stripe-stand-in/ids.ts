import { randomUUID } from 'node:crypto';

/** A fresh id in Stripe's style: `prefix_` and `length` letters and digits. */
export const stripeId = (prefix: string, length = 24) =>
  `${prefix}_${randomUUID().replaceAll('-', '').slice(0, length)}`;
