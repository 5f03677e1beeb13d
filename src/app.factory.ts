import 'reflect-metadata';
import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { pino, type DestinationStream } from 'pino';
import { AppModule } from './app.module.js';
import { loadConfig } from './config/app-config.js';
import { describeMode } from './config/mode.js';
import { enableCors } from './http/cors.js';
import { refuseRequestsWhileDraining, stopOnSignals, type DrainState } from './http/graceful-shutdown.js';
import { answerConnectRequests, httpServerOptions } from './http/http-server.options.js';
import { enforceRequestRules } from './http/request-rules.js';
import { RequestObserver } from './http/request-observer.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { ServedPaths } from './http/served-paths.js';
import { PinoNestLogger } from './logging/pino-nest-logger.js';
import { serveApiDocs } from './openapi/api-docs.js';
import { echoRequestIds, REQUEST_ID_OPTIONS } from './logging/request-id.js';
import { metricsFor } from './metrics/metrics.module.js';

export interface CreateAppOptions {
  /** The environment to configure from; `process.env` when omitted. */
  env?: Record<string, string | undefined>;
  /**
   * Stop gracefully on SIGTERM/SIGINT/SIGHUP (drain, then exit within SHUTDOWN_GRACE_MS); off for apps
   * created inside test processes.
   */
  shutdownHooks?: boolean;
  /** Your own feature modules, assembled with packgate's (their routes get AuthGuard and PaymentGuard). */
  imports?: Array<Type | DynamicModule>;
  /** Where the JSON log lines go; standard output when omitted. */
  logDestination?: DestinationStream;
  /**
   * Runs after packgate's own set-up and before `init()`: a global prefix, Fastify plugins, global
   * guards, pipes or interceptors of your own belong here (after init they would come too late).
   */
  configure?: (app: NestFastifyApplication) => void | Promise<void>;
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
  const metrics = await metricsFor(config);
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
  const drain: DrainState = { draining: false };
  refuseRequestsWhileDraining(fastify, drain);
  enforceRequestRules(fastify);
  app.get(ServedPaths).watch(fastify);
  if (options.shutdownHooks ?? true) stopOnSignals(app, drain, { graceMs: config.shutdownGraceMs, log });
  try {
    serveApiDocs(app);
    await options.configure?.(app);
    await app.init();
  } catch (error) {
    // Stop what did start (the local engine, sockets) before reporting why start-up failed (or why
    // the caller's configure threw).
    await app.close().catch(() => undefined);
    throw error;
  }
  return app;
}
