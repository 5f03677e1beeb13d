// One server of the benchmark, run in its own process so the load generator gets the other core.
// `node bench/server.js bare` or `node bench/server.js packgate '{"ENV_VAR":"value"}'`; prints one
// JSON line `{ "port", "token", … }` on stdout once it listens, and stops on SIGTERM.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import Fastify from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createApp } from '../dist/app.factory.js';
import { createTestCaller } from '../dist/testing/index.js';

const [kind, envJson = '{}'] = process.argv.slice(2);

async function bare() {
  const app = Fastify();
  app.get('/health', async () => ({ status: 'ok' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: app.server.address().port, close: () => app.close() };
}

// The same route in a NestJS app with nothing of packgate: what the framework itself costs.
async function nest() {
  class HealthController {
    health() {
      return { status: 'ok' };
    }
  }
  Controller('health')(HealthController);
  Get()(
    HealthController.prototype,
    'health',
    Object.getOwnPropertyDescriptor(HealthController.prototype, 'health'),
  );
  class BareModule {}
  Module({ controllers: [HealthController] })(BareModule);
  const app = await NestFactory.create(BareModule, new FastifyAdapter(), { logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: app.getHttpServer().address().port, close: () => app.close() };
}

// Log lines are written as in production (serialized, one write(2) each, synchronously, as pino does to
// standard output), to /dev/null: standard output is the pipe that reports the port.
async function packgate() {
  const dataDir = mkdtempSync(join(tmpdir(), 'packgate-bench-'));
  const app = await createApp({
    env: {
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DYNAMO_ENDPOINT: 'local',
      DYNAMO_DATA_DIR: dataDir,
      AUTH_DEV_SECRET: 'bench-secret-of-at-least-32-characters-0123',
      STRIPE_LOCAL: 'false',
      ...JSON.parse(envJson),
    },
    logDestination: pino.destination({ dest: '/dev/null', sync: true }),
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const caller = await createTestCaller(app, 'pro');
  return {
    port: app.getHttpServer().address().port,
    token: caller.token,
    basicToken: (await createTestCaller(app, 'basic')).token,
    subscriberToken: await subscriber(app, caller.email),
    apiKey: await apiKeyOf(app, caller.email),
    close: async () => {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * A caller whose pro package comes from a subscription running for another day, written as the ledger
 * writes it, so the guard checks its end of access; undefined on a packgate without subscriptions.
 */
async function subscriber(app, payerEmail) {
  const tokens = await import('../dist/dynamo/dynamo.tokens.js');
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  let access;
  try {
    access = await import('../dist/users/package-access.js');
  } catch {
    return undefined;
  }
  const email = `subscriber-${payerEmail}`;
  const until = Date.now() + 86_400_000;
  const table = JSON.parse(envJson).DYNAMO_TABLE_NAME ?? 'packgate-users';
  await app.get(tokens.DYNAMO).send(
    new PutCommand({
      TableName: table,
      Item: { email, package_id: 2, grants: { sub_bench: 2 }, grant_until: { sub_bench: until }, version: 1 },
    }),
  );
  if (
    access.packageAt({ packageId: 2, grants: { sub_bench: 2 }, grantUntil: { sub_bench: until } }, Date.now())
      .packageId !== 2
  ) {
    throw new Error('the subscriber is not at pro');
  }
  return (await createTestCaller(app, 'pro', { email })).token;
}

/** An API key of the pro caller; undefined on a packgate without API keys. */
async function apiKeyOf(app, email) {
  let service;
  try {
    service = await import('../dist/api-keys/api-keys.service.js');
  } catch {
    return undefined;
  }
  return (await app.get(service.ApiKeysService).create(email, 'bench')).key;
}

const server = await { bare, nest, packgate }[kind]();
const { port, token, basicToken, subscriberToken, apiKey } = server;
process.stdout.write(`${JSON.stringify({ port, token, basicToken, subscriberToken, apiKey })}\n`);
// The parent asks for this process's CPU time around each load run: CPU per request is steadier than
// throughput on a shared machine.
process.on('message', () => process.send(process.cpuUsage()));
process.once('SIGTERM', async () => {
  await server.close();
  process.exit(0);
});
