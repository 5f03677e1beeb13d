import awsLambdaFastify from '@fastify/aws-lambda';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from './app.factory.js';
import { ConfigError } from './config/app-config.js';
import { settleBeforeFreeze } from './serverless/before-freeze.js';
import { withSecretsFromArns } from './serverless/secrets-from-arns.js';

type Proxy = awsLambdaFastify.PromiseHandler<unknown, awsLambdaFastify.LambdaResponse>;
type LambdaContext = Parameters<Proxy>[1];

interface Container {
  app: NestFastifyApplication;
  proxy: Proxy;
}

let container: Promise<Container> | undefined;

/** The app, once per container: the same createApp() as the server, configured from the environment. */
async function start(): Promise<Container> {
  const env = await withSecretsFromArns(process.env);
  if (env.METRICS_PORT !== undefined) {
    // No scraper reaches a Lambda container's ports, and a frozen one would not answer.
    throw new ConfigError('METRICS_PORT cannot be served from a Lambda: leave it unset and use CloudWatch.');
  }
  let proxy: Proxy | undefined;
  const app = await createApp({
    env,
    shutdownHooks: false,
    // Before init, as @fastify/aws-lambda adds to Fastify what a request needs.
    configure: (nest) => {
      proxy = awsLambdaFastify(nest.getHttpAdapter().getInstance(), { decorateRequest: false });
    },
  });
  await app.getHttpAdapter().getInstance().ready();
  return { app, proxy: proxy! };
}

/**
 * API Gateway (HTTP API, payload 2.0) → packgate. Bodies arrive as bytes (base64 when API Gateway
 * encoded them), so the Stripe webhook verifies exactly what Stripe signed.
 */
export async function handler(
  event: unknown,
  context: LambdaContext,
): Promise<awsLambdaFastify.LambdaResponse> {
  container ??= start().catch((error: unknown) => {
    container = undefined; // a failed start is retried by the next invocation, not cached
    throw error;
  });
  const { app, proxy } = await container;
  try {
    return await proxy(event, context);
  } finally {
    await settleBeforeFreeze(app);
  }
}
