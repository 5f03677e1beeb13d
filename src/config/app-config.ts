import { resolve } from 'node:path';
import { z } from 'zod';
import { normalizeEmail } from '../common/email.js';
import { envSchema, type Env } from './env.schema.js';
import type { FailureLimit, TrustProxy } from './http-settings.js';
import { parsePackages, type PackageDefinition } from './packages.js';
import { parsePackageLimits, type PackageLimits } from '../usage/package-limits.js';

export type DynamoEndpointConfig =
  | { kind: 'local'; dataDir: string; port: number }
  | { kind: 'url'; url: string; awsCredentials: boolean }
  | { kind: 'aws' };

export type AuthConfig =
  | {
      mode: 'dev-secret';
      issuer: string;
      audience: string;
      clockToleranceS: number;
      maxTokenAgeS: number;
      secret: DevSecret;
    }
  | {
      mode: 'oidc';
      issuer: string;
      audience: string;
      clockToleranceS: number;
      /** Tokens issued (iat) longer ago than this, or expiring (exp) further ahead, are refused. */
      maxTokenAgeS: number;
      jwksUrl?: string;
      jwksCooldownMs: number;
      jwksCacheMaxAgeMs: number;
    };

/** The HS256 secret of development mode: given directly, or generated once and kept in a file. */
export type DevSecret = { value: string } | { file: string };

/** How the HTTP server treats clients: who may speak for them, how long and how much they may send. */
export interface MetricsConfig {
  /** METRICS_TOKEN: the bearer token GET /metrics requires; null: none (only with `listen`). */
  token: string | null;
  /** METRICS_PORT (and METRICS_HOST, default HOST): /metrics on a listener of its own, not the app's port. */
  listen: { port: number; host: string } | null;
}

export interface HttpConfig {
  trustProxy: TrustProxy;
  /** The whole request (headers and body) must arrive within this; headers too. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  keepAliveTimeoutMs: number;
  /** A socket silent this long is closed, even while its answer is being worked on. */
  connectionTimeoutMs: number;
  maxHeaderBytes: number;
  bodyLimitBytes: number;
}

/** Browser front ends allowed to call the API cross-origin; none when `origins` is empty. */
export interface CorsConfig {
  origins: string[];
  maxAgeS: number;
}

/** Failures allowed per client address before it is answered 429; null: no limit. */
export interface FailureLimitsConfig {
  /** Refused bearer tokens (missing, malformed, bad signature, expired). */
  authentication: FailureLimit;
  /** Stripe webhooks with a missing or bad signature. */
  webhookSignature: FailureLimit;
}

export interface AppConfig {
  nodeEnv: Env['NODE_ENV'];
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  /**
   * One JSON line per request at level info (ACCESS_LOG); null when off. Errors, writes and slow
   * answers are always logged, fast successful reads at `sampleRate` (ACCESS_LOG_SAMPLE).
   */
  accessLog: { sampleRate: number } | null;
  /**
   * Prometheus metrics; null: none recorded, and no route. GET /metrics is served on the app's port, or
   * only on `listen` when METRICS_PORT is set; `token` (METRICS_TOKEN) is then required where it is served.
   */
  metrics: MetricsConfig | null;
  http: HttpConfig;
  cors: CorsConfig;
  failureLimits: FailureLimitsConfig;
  /** On SIGTERM/SIGINT, in-flight requests get this long before the process exits anyway. */
  shutdownGraceMs: number;
  /** A failed readiness check is forgiven while DynamoDB last answered less than this ago. */
  readyCacheMs: number;
  dynamo: {
    endpoint: DynamoEndpointConfig;
    tableName: string;
    region: string | undefined;
    timeoutMs: number;
    connectTimeoutMs: number;
    maxAttempts: number;
  };
  auth: AuthConfig;
  /** Verified tokens remembered per process; maxEntries 0 turns it off. */
  tokenCache: { maxEntries: number; ttlMs: number };
  /** API keys: how many a user may hold, how long an instance trusts a key (or its absence) it looked up. */
  apiKeys: { maxPerUser: number; cacheTtlMs: number; cacheMax: number };
  /** Ordered by id; package 0 ("none") is implicit. */
  packages: PackageDefinition[];
  /** Requests per window each package buys (PACKAGE_LIMITS); a package without an entry is unlimited. */
  packageLimits: PackageLimits;
  /** Package ids whose recorded name may change or disappear at this start (PACKAGES_ALLOW_RENAME). */
  packageRenamesAllowed: number[];
  /** Each caller's package remembered per process; ttlMs 0 turns it off. */
  entitlementCache: { ttlMs: number; maxEntries: number };
  payments: PaymentsConfig;
  /** Canonical emails of the staff who may grant and revoke packages by hand. */
  adminEmails: string[];
  subscriptions: SubscriptionsConfig;
}

export interface SubscriptionsConfig {
  /** How long a `past_due` subscription keeps access, counted from its failed invoice. */
  graceMs: number;
  /** How long past its period end a renewing subscription keeps access without news from Stripe. */
  renewalSlackMs: number;
}

export interface PaymentsConfig {
  ledgerTableName: string;
  /** Absent: checkout answers 503 (not configured); webhooks still work. */
  stripeSecretKey?: string;
  /** Webhook signing secrets: given (several during a rotation), or generated for development. */
  webhookSecrets: { values: string[] } | { file: string } | null;
  stripeApiUrl?: string;
  /** Development without STRIPE_SECRET_KEY: a local Stripe stand-in, its address kept in `stateFile`. */
  localStripe: { stateFile: string } | null;
  stripeTimeoutMs: number;
  stripeMaxNetworkRetries: number;
  successUrl: string;
  cancelUrl: string;
  /** Where Stripe's customer portal sends the user back. */
  portalReturnUrl: string;
}

/** The default PACKAGES beside the local Stripe stand-in: both packages sold by the month. */
export const LOCAL_STRIPE_PACKAGES = '1:basic:price_dev_basic_monthly,2:pro:price_dev_pro_monthly';

export const DEV_ISSUER = 'packgate-dev';
export const DEV_AUDIENCE = 'packgate';

/** Thrown when the environment cannot run packgate; its message names the variable at fault. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Validates the environment once and derives packgate's configuration from it. */
export function loadConfig(raw: Record<string, string | undefined>): AppConfig {
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, raw));
  const env = parsed.data;
  const packages = packagesOf(env, raw);
  return {
    nodeEnv: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    accessLog: env.ACCESS_LOG === 'on' ? { sampleRate: env.ACCESS_LOG_SAMPLE } : null,
    metrics: metricsConfig(env),
    http: httpConfig(env),
    cors: { origins: env.CORS_ORIGINS, maxAgeS: env.CORS_MAX_AGE_S },
    failureLimits: { authentication: env.AUTH_FAILURE_LIMIT, webhookSignature: env.WEBHOOK_FAILURE_LIMIT },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    readyCacheMs: env.READY_CACHE_MS,
    dynamo: {
      endpoint: dynamoEndpoint(env),
      tableName: env.DYNAMO_TABLE_NAME,
      region: env.AWS_REGION,
      timeoutMs: env.DYNAMO_TIMEOUT_MS,
      connectTimeoutMs: env.DYNAMO_CONNECT_TIMEOUT_MS,
      maxAttempts: env.DYNAMO_MAX_ATTEMPTS,
    },
    auth: authConfig(env),
    tokenCache: { maxEntries: env.AUTH_TOKEN_CACHE_MAX, ttlMs: env.AUTH_TOKEN_CACHE_TTL_MS },
    apiKeys: {
      maxPerUser: env.API_KEYS_MAX_PER_USER,
      cacheTtlMs: env.API_KEY_CACHE_TTL_MS,
      cacheMax: env.API_KEY_CACHE_MAX,
    },
    packages,
    packageLimits: packageLimitsOf(env.PACKAGE_LIMITS, packages),
    packageRenamesAllowed: env.PACKAGES_ALLOW_RENAME,
    entitlementCache: { ttlMs: env.ENTITLEMENT_CACHE_TTL_MS, maxEntries: env.ENTITLEMENT_CACHE_MAX },
    payments: paymentsConfig(env),
    adminEmails: adminEmails(env.ADMIN_EMAILS),
    subscriptions: { graceMs: env.SUBSCRIPTION_GRACE, renewalSlackMs: env.SUBSCRIPTION_RENEWAL_SLACK },
  };
}

function metricsConfig(env: Env): MetricsConfig | null {
  const listen =
    env.METRICS_PORT === undefined ? null : { port: env.METRICS_PORT, host: env.METRICS_HOST ?? env.HOST };
  if (env.METRICS_HOST !== undefined && !listen) {
    throw new ConfigError(
      'METRICS_HOST is set without METRICS_PORT: set METRICS_PORT too, or leave both unset.',
    );
  }
  if (env.METRICS_PORT !== undefined && env.METRICS_PORT !== 0 && env.METRICS_PORT === env.PORT) {
    throw new ConfigError(
      `METRICS_PORT (${env.METRICS_PORT}) must differ from PORT: the metrics listen on a port of their own.`,
    );
  }
  if (!env.METRICS_TOKEN && !listen) return null;
  return { token: env.METRICS_TOKEN ?? null, listen };
}

function httpConfig(env: Env): HttpConfig {
  // A socket silent while its answer is worked on is cut at the connection timeout: below the
  // request timeout it would cut answers that clients were still allowed to be sending.
  if (env.HTTP_CONNECTION_TIMEOUT_MS < env.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError(
      `HTTP_CONNECTION_TIMEOUT_MS (${env.HTTP_CONNECTION_TIMEOUT_MS}) must be at least HTTP_REQUEST_TIMEOUT_MS (${env.HTTP_REQUEST_TIMEOUT_MS}).`,
    );
  }
  return {
    trustProxy: env.TRUST_PROXY,
    requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
    keepAliveTimeoutMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    connectionTimeoutMs: env.HTTP_CONNECTION_TIMEOUT_MS,
    maxHeaderBytes: env.HTTP_MAX_HEADER_BYTES,
    bodyLimitBytes: env.HTTP_BODY_LIMIT_BYTES,
  };
}

function dynamoEndpoint(env: Env): DynamoEndpointConfig {
  const production = env.NODE_ENV === 'production';
  const endpoint = env.DYNAMO_ENDPOINT ?? (production ? 'aws' : 'local');
  if (endpoint === 'local') {
    if (production) {
      throw new ConfigError(
        "DYNAMO_ENDPOINT=local is refused when NODE_ENV=production: an embedded database loses data. Set DYNAMO_ENDPOINT to 'aws' or an http(s) URL.",
      );
    }
    return { kind: 'local', dataDir: resolve(env.DYNAMO_DATA_DIR), port: env.DYNAMO_LOCAL_PORT };
  }
  return endpoint === 'aws'
    ? { kind: 'aws' }
    : { kind: 'url', url: endpoint, awsCredentials: Boolean(env.AWS_ACCESS_KEY_ID) };
}

function authConfig(env: Env): AuthConfig {
  const production = env.NODE_ENV === 'production';
  const clockToleranceS = env.AUTH_CLOCK_TOLERANCE_S;
  const maxTokenAgeS = env.AUTH_MAX_TOKEN_AGE / 1000;
  if (env.AUTH_DEV_SECRET && env.AUTH_JWKS_URL) {
    throw new ConfigError('AUTH_DEV_SECRET and AUTH_JWKS_URL are both set: choose one way to verify tokens.');
  }
  if (env.AUTH_DEV_SECRET && production) {
    throw new ConfigError(
      'AUTH_DEV_SECRET is refused when NODE_ENV=production: configure AUTH_ISSUER (OIDC) and AUTH_AUDIENCE.',
    );
  }
  if (env.AUTH_DEV_SECRET || (!production && !env.AUTH_JWKS_URL && !env.AUTH_ISSUER)) {
    return {
      mode: 'dev-secret',
      issuer: env.AUTH_ISSUER ?? DEV_ISSUER,
      audience: env.AUTH_AUDIENCE ?? DEV_AUDIENCE,
      clockToleranceS,
      maxTokenAgeS,
      secret: env.AUTH_DEV_SECRET
        ? { value: env.AUTH_DEV_SECRET }
        : { file: resolve(env.AUTH_DEV_SECRET_FILE) },
    };
  }
  if (!env.AUTH_ISSUER) {
    throw new ConfigError(
      'AUTH_ISSUER is required: the issuer (iss) of the tokens your OIDC provider signs.',
    );
  }
  if (!env.AUTH_AUDIENCE) {
    throw new ConfigError('AUTH_AUDIENCE is required: the audience (aud) your OIDC provider puts in tokens.');
  }
  const discoverable = /^https?:\/\//.test(env.AUTH_ISSUER) && URL.canParse(env.AUTH_ISSUER);
  if (!env.AUTH_JWKS_URL && !discoverable) {
    throw new ConfigError(
      'AUTH_ISSUER must be an http(s) URL to discover its keys or set AUTH_JWKS_URL to the JWKS address.',
    );
  }
  return {
    mode: 'oidc',
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    clockToleranceS,
    maxTokenAgeS,
    jwksUrl: env.AUTH_JWKS_URL,
    jwksCooldownMs: env.AUTH_JWKS_COOLDOWN_MS,
    jwksCacheMaxAgeMs: env.AUTH_JWKS_CACHE_MAX_AGE_MS,
  };
}

function paymentsConfig(env: Env): PaymentsConfig {
  const production = env.NODE_ENV === 'production';
  if (production && env.STRIPE_SECRET_KEY && !env.STRIPE_WEBHOOK_SECRET) {
    throw new ConfigError(
      'STRIPE_WEBHOOK_SECRET is required with STRIPE_SECRET_KEY: without it no webhook can be verified, and packgate never accepts an unverified one.',
    );
  }
  const returnUrls = ['CHECKOUT_SUCCESS_URL', 'CHECKOUT_CANCEL_URL', 'PORTAL_RETURN_URL'] as const;
  const missing = returnUrls.filter((name) => !env[name]);
  if (production && env.STRIPE_SECRET_KEY && missing.length > 0) {
    throw new ConfigError(
      `CHECKOUT_SUCCESS_URL, CHECKOUT_CANCEL_URL and PORTAL_RETURN_URL are required with STRIPE_SECRET_KEY in production (missing: ${missing.join(', ')}).`,
    );
  }
  const localSite = `http://localhost:${env.PORT}`;
  return {
    ledgerTableName: env.DYNAMO_LEDGER_TABLE_NAME,
    stripeSecretKey: env.STRIPE_SECRET_KEY,
    webhookSecrets: env.STRIPE_WEBHOOK_SECRET
      ? { values: env.STRIPE_WEBHOOK_SECRET.split(',').map((secret) => secret.trim()) }
      : production
        ? null
        : { file: resolve(env.STRIPE_WEBHOOK_SECRET_FILE) },
    stripeApiUrl: env.STRIPE_API_URL,
    localStripe: localStripe(env),
    stripeTimeoutMs: env.STRIPE_TIMEOUT_MS,
    stripeMaxNetworkRetries: env.STRIPE_MAX_NETWORK_RETRIES,
    successUrl: env.CHECKOUT_SUCCESS_URL ?? `${localSite}/checkout/success`,
    cancelUrl: env.CHECKOUT_CANCEL_URL ?? `${localSite}/checkout/cancel`,
    portalReturnUrl: env.PORTAL_RETURN_URL ?? `${localSite}/?portal=return`,
  };
}

/**
 * On by default in development without STRIPE_SECRET_KEY (STRIPE_LOCAL=false turns it off); never in
 * production, where it would take payments nobody makes.
 */
function localStripe(env: Env): PaymentsConfig['localStripe'] {
  const asked = env.STRIPE_LOCAL === 'true';
  if (asked && env.NODE_ENV === 'production') {
    throw new ConfigError(
      'STRIPE_LOCAL=true is refused when NODE_ENV=production: the local Stripe stand-in takes no real payment. Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET instead.',
    );
  }
  if (asked && env.STRIPE_SECRET_KEY) {
    throw new ConfigError(
      'STRIPE_LOCAL=true and STRIPE_SECRET_KEY are both set: choose the local Stripe stand-in or your Stripe account.',
    );
  }
  const byDefault = env.NODE_ENV === 'development' && !env.STRIPE_SECRET_KEY && env.STRIPE_LOCAL !== 'false';
  return asked || byDefault ? { stateFile: resolve(env.STRIPE_LOCAL_FILE) } : null;
}

/** With the local Stripe stand-in and no PACKAGES, a catalog it sells by the month (see LOCAL_STRIPE_PACKAGES). */
function packagesOf(env: Env, raw: Record<string, string | undefined>): PackageDefinition[] {
  if (raw.PACKAGES || !localStripe(env)) return env.PACKAGES;
  const packages = parsePackages(LOCAL_STRIPE_PACKAGES);
  if (typeof packages === 'string') throw new Error(`LOCAL_STRIPE_PACKAGES: ${packages}`);
  return packages;
}

function packageLimitsOf(raw: string, packages: PackageDefinition[]): PackageLimits {
  const limits = parsePackageLimits(raw, packages);
  if (typeof limits === 'string') {
    throw new ConfigError(
      `PACKAGE_LIMITS must be <package>=<count>/<window>[+…], comma-separated: ${limits}`,
    );
  }
  return limits;
}

function adminEmails(raw: string): string[] {
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  return entries.map((entry) => {
    try {
      return normalizeEmail(entry);
    } catch (error) {
      throw new ConfigError(
        `ADMIN_EMAILS must be comma-separated email addresses; ${JSON.stringify(entry)} is not one: ${(error as Error).message}`,
      );
    }
  });
}

/** Variables whose values a start-up error must not repeat: it goes to the console and on to logs. */
const SECRET_VARIABLES = new Set([
  'AUTH_DEV_SECRET',
  'STRIPE_SECRET_KEY',
  'STRIPE_WEBHOOK_SECRET',
  'METRICS_TOKEN',
]);

function describeIssues(error: z.ZodError, raw: Record<string, string | undefined>): string {
  return error.issues
    .map((issue) => {
      const name = String(issue.path[0]);
      const got = SECRET_VARIABLES.has(name) ? 'value not shown' : `got ${JSON.stringify(raw[name] ?? '')}`;
      return `${name} ${issue.message} (${got})`;
    })
    .join('; ');
}
