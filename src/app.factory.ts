import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { pino, type DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { loadConfig } from './config/app-config.js';
import { describeMode } from './config/mode.js';
import { enableCors } from './http/cors.js';
import { answerConnectRequests, httpServerOptions } from './http/http-server.options.js';
import { enforceRequestRules } from './http/request-rules.js';
import { RequestObserver } from './http/request-observer.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { PinoNestLogger } from './logging/pino-nest-logger.js';
import { echoRequestIds, REQUEST_ID_OPTIONS } from './logging/request-id.js';
import { metricsFor } from './metrics/metrics.module.js';

export interface CreateAppOptions {
  /** The environment to configure from; `process.env` when omitted. */
  env?: Record<string, string | undefined>;
  /** Stop cleanly on SIGTERM/SIGINT; off for apps created inside test processes. */
  shutdownHooks?: boolean;
  /** Your own feature modules, assembled with packgate's (their routes get AuthGuard and PaymentGuard). */
  imports?: Array<Type | DynamicModule>;
  /** Where the JSON log lines go; standard output when omitted. */
  logDestination?: DestinationStream;
}

/**
 * Assembles packgate: the one place the app is put together. main.ts and every e2e test call it.
 * Throws ConfigError, LocalEngineError or TableSetupError with a message meant for the operator.
 */
export async function createApp(options: CreateAppOptions = {}): Promise<NestFastifyApplication> {
  const config = loadConfig(options.env ?? process.env);
  const log = pino({ level: config.logLevel, base: undefined }, options.logDestination);
  const mode = describeMode(config);
  log[mode.standIns ? 'warn' : 'info'](mode.line);
  const metrics = metricsFor(config);
  const accessLog = log.isLevelEnabled('info') ? config.accessLog : null;
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options.imports, metrics),
    // Fastify logs through the same pino: access lines and Nest's lines are one stream.
    new FastifyAdapter({
      ...httpServerOptions(config.http),
      ...REQUEST_ID_OPTIONS,
      loggerInstance: log,
      logController: new RequestObserver(accessLog, metrics),
    }),
    { rawBody: true, logger: new PinoNestLogger(log), abortOnError: false },
  );
  const fastify = app.getHttpAdapter().getInstance();
  answerConnectRequests(app.getHttpServer());
  echoRequestIds(fastify);
  registerSecurityHeaders(app);
  enableCors(app, config.cors);
  enforceRequestRules(fastify);
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  try {
    await app.init();
  } catch (error) {
    // Stop what did start (the local engine, sockets) before reporting why start-up failed.
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}
