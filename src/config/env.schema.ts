import { z } from 'zod';
import { parseDuration } from '../common/duration.js';
import {
  parseCorsOrigins,
  parseFailureLimit,
  parseTrustProxy,
  type FailureLimit,
  type TrustProxy,
} from './http-settings.js';
import { parsePackageIds, parsePackages, type PackageDefinition } from './packages.js';

// Decimal digits only: Number() would read ' ' as 0 (PORT=' ' listening on a random port) and accept 0x10 or 1e3.
const int = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z
    .string()
    .regex(/^\d+$/, { error })
    .transform(Number)
    .pipe(z.number().int({ error }).min(min, { error }).max(max, { error }));
};

const httpUrl = z
  .string()
  .refine((value) => URL.canParse(value) && /^https?:$/.test(new URL(value).protocol), {
    error: 'must be an http(s) URL',
  });

const DAY_MS = 86_400_000;

/** `3d`, `12h`, `90m`, `30s` or `0`, in milliseconds. */
const duration = z.string().transform((raw, context) => {
  const ms = parseDuration(raw);
  if (ms === null) {
    context.addIssue({ code: 'custom', message: 'must be a duration such as 3d, 12h, 90m, 30s or 0' });
    return z.NEVER;
  }
  return ms;
});

/** A value parsed by `parse`, which returns the value or a sentence saying what is wrong. */
const parsedBy = <T>(parse: (raw: string) => T | string, expected: string) =>
  z.string().transform((raw, context): T => {
    const parsed = parse(raw);
    if (typeof parsed === 'string') {
      context.addIssue({ code: 'custom', message: `${expected} — ${parsed}` });
      return z.NEVER;
    }
    return parsed;
  });

/** Empty strings count as unset, as they do in most .env tooling. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

/** Every environment variable packgate reads, with its default; `.env.example` documents each one. */
export const envSchema = z.object({
  NODE_ENV: optional(z.enum(['development', 'test', 'production'])).default('development'),
  PORT: optional(int(0, 65535)).default(3000),
  HOST: optional(z.string().min(1)).default('0.0.0.0'),
  LOG_LEVEL: optional(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])).default('info'),
  ACCESS_LOG: optional(z.enum(['on', 'off'], { error: "must be 'on' or 'off'" })).default('on'),
  ACCESS_LOG_SAMPLE: optional(
    z
      .string()
      .regex(/^(0(\.\d{1,6})?|1(\.0{1,6})?)$/, { error: 'must be a fraction from 0 to 1, such as 0.1' })
      .transform(Number),
  ).default(0.1),
  METRICS_TOKEN: optional(
    z.string().regex(/^[A-Za-z0-9\-._~+/]{16,256}$/, {
      error: 'must be 16-256 characters of letters, digits or -._~+/ (sent as a bearer token)',
    }),
  ),
  METRICS_PORT: optional(int(0, 65535)),
  METRICS_HOST: optional(z.string().min(1)),

  TRUST_PROXY: optional(
    parsedBy<TrustProxy>(
      parseTrustProxy,
      'must be false, a hop count or a comma-separated list of IPs/CIDRs',
    ),
  ).default(false),
  HTTP_REQUEST_TIMEOUT_MS: optional(int(1000, 300000)).default(9000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: optional(int(1000, 600000)).default(5000),
  HTTP_CONNECTION_TIMEOUT_MS: optional(int(1000, 600000)).default(60000),
  HTTP_MAX_HEADER_BYTES: optional(int(4096, 65536)).default(16384),
  HTTP_BODY_LIMIT_BYTES: optional(int(1024, 16777216)).default(1048576),
  CORS_ORIGINS: optional(
    parsedBy<string[]>(
      parseCorsOrigins,
      'must be a comma-separated list of origins such as https://app.example.com',
    ),
  ).default([]),
  CORS_MAX_AGE_S: optional(int(0, 86400)).default(600),
  AUTH_FAILURE_LIMIT: optional(
    parsedBy<FailureLimit>(parseFailureLimit, 'must be <count>/<window> such as 20/1m, or off'),
  ).default({ limit: 20, windowS: 60 }),
  WEBHOOK_FAILURE_LIMIT: optional(
    parsedBy<FailureLimit>(parseFailureLimit, 'must be <count>/<window> such as 20/1m, or off'),
  ).default({ limit: 20, windowS: 60 }),
  SHUTDOWN_GRACE_MS: optional(int(1000, 600000)).default(10000),
  READY_CACHE_MS: optional(int(0, 60000)).default(5000),

  DYNAMO_ENDPOINT: optional(
    z.union([z.enum(['local', 'aws']), httpUrl], { error: "must be 'local', 'aws' or an http(s) URL" }),
  ),
  DYNAMO_TABLE_NAME: optional(
    z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, {
      error: 'must be 3-255 characters of letters, digits, _ . or -',
    }),
  ).default('packgate-users'),
  DYNAMO_DATA_DIR: optional(z.string().min(1)).default('.data/dynamodb'),
  DYNAMO_LOCAL_PORT: optional(int(0, 65535)).default(0),
  AWS_REGION: optional(z.string().regex(/^[a-z0-9-]+$/, { error: 'must look like us-east-1' })),
  DYNAMO_TIMEOUT_MS: optional(int(50, 60000)).default(2000),
  DYNAMO_CONNECT_TIMEOUT_MS: optional(int(50, 60000)).default(1000),
  DYNAMO_MAX_ATTEMPTS: optional(int(1, 10)).default(3),
  AWS_ACCESS_KEY_ID: optional(z.string()),

  AUTH_ISSUER: optional(z.string().min(1)),
  AUTH_AUDIENCE: optional(z.string().min(1)),
  AUTH_JWKS_URL: optional(httpUrl),
  AUTH_DEV_SECRET: optional(z.string().min(32, { error: 'must be at least 32 characters' })),
  AUTH_DEV_SECRET_FILE: optional(z.string().min(1)).default('.data/auth-dev-secret'),
  AUTH_CLOCK_TOLERANCE_S: optional(int(0, 300)).default(30),
  AUTH_MAX_TOKEN_AGE: optional(
    duration.refine((ms) => ms >= 60_000, {
      error: 'must be at least 1m: tokens older than this are refused',
    }),
  ).default(DAY_MS),
  AUTH_JWKS_COOLDOWN_MS: optional(int(0, 3600000)).default(30000),
  AUTH_JWKS_CACHE_MAX_AGE_MS: optional(int(1, 86400000)).default(600000),

  PACKAGES: optional(z.string())
    .default('1:basic,2:pro')
    .transform((raw, context): PackageDefinition[] => {
      const parsed = parsePackages(raw);
      if (typeof parsed === 'string') {
        context.addIssue({
          code: 'custom',
          message: `must list id:name[:price1|price2|…] entries — ${parsed}`,
        });
        return z.NEVER;
      }
      return parsed;
    }),
  PACKAGES_ALLOW_RENAME: optional(z.string())
    .default('')
    .transform((raw, context): number[] => {
      const parsed = parsePackageIds(raw);
      if (typeof parsed === 'string') {
        context.addIssue({ code: 'custom', message: `must list package ids, comma-separated — ${parsed}` });
        return z.NEVER;
      }
      return parsed;
    }),
  PACKAGE_LIMITS: optional(z.string()).default(''),
  ENTITLEMENT_CACHE_TTL_MS: optional(int(0, 3600000)).default(5000),
  ENTITLEMENT_CACHE_MAX: optional(int(1, 10000000)).default(100000),
  AUTH_TOKEN_CACHE_MAX: optional(int(0, 10000000)).default(10000),
  AUTH_TOKEN_CACHE_TTL_MS: optional(int(1000, 3600000)).default(60000),
  API_KEYS_MAX_PER_USER: optional(int(1, 1000)).default(10),
  API_KEY_CACHE_TTL_MS: optional(int(0, 3600000)).default(30000),
  API_KEY_CACHE_MAX: optional(int(1, 10000000)).default(100000),

  DYNAMO_LEDGER_TABLE_NAME: optional(
    z.string().regex(/^[A-Za-z0-9_.-]{3,255}$/, {
      error: 'must be 3-255 characters of letters, digits, _ . or -',
    }),
  ).default('packgate-ledger'),
  STRIPE_SECRET_KEY: optional(
    z.string().regex(/^(sk|rk)_[A-Za-z0-9_]+$/, { error: 'must be a Stripe secret key (sk_… or rk_…)' }),
  ),
  STRIPE_WEBHOOK_SECRET: optional(
    z.string().regex(/^whsec_[A-Za-z0-9_+/=-]+( *, *whsec_[A-Za-z0-9_+/=-]+)*$/, {
      error: 'must be one or more webhook signing secrets (whsec_…), comma-separated',
    }),
  ),
  STRIPE_WEBHOOK_SECRET_FILE: optional(z.string().min(1)).default('.data/stripe-webhook-secret'),
  STRIPE_API_URL: optional(httpUrl),
  STRIPE_LOCAL: optional(z.enum(['true', 'false'], { error: "must be 'true' or 'false'" })),
  STRIPE_LOCAL_FILE: optional(z.string().min(1)).default('.data/stripe-local.json'),
  STRIPE_TIMEOUT_MS: optional(int(100, 120000)).default(10000),
  STRIPE_MAX_NETWORK_RETRIES: optional(int(0, 5)).default(2),
  CHECKOUT_SUCCESS_URL: optional(httpUrl),
  CHECKOUT_CANCEL_URL: optional(httpUrl),
  PORTAL_RETURN_URL: optional(httpUrl),
  ADMIN_EMAILS: optional(z.string()).default(''),
  SUBSCRIPTION_GRACE: optional(duration).default(3 * DAY_MS),
  SUBSCRIPTION_RENEWAL_SLACK: optional(duration).default(DAY_MS),
});

export type Env = z.infer<typeof envSchema>;
