import type StripeSdk from 'stripe';

let loading: Promise<typeof StripeSdk> | undefined;
let loaded: typeof StripeSdk | null = null;

/**
 * The stripe SDK, imported on first use: it is about a megabyte of code, which a cold start that
 * answers no payment request (a Lambda serving guarded routes) then neither compiles nor runs.
 */
export function loadStripeSdk(): Promise<typeof StripeSdk> {
  loading ??= import('stripe').then((module) => (loaded = module.default));
  return loading;
}

/**
 * The SDK's error classes, or null while nothing has loaded the SDK: an error the SDK threw means it
 * was loaded, so `instanceof` against these is the SDK's own test whenever it can be true.
 */
export function loadedStripeErrors(): typeof StripeSdk.errors | null {
  return loaded?.errors ?? null;
}
