import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../config/app-config.js';
import { errorBody, httpCode } from '../common/http-error.filter.js';
import { MetricsBearer } from './metrics-bearer.js';
import { Metrics } from './metrics.js';

/**
 * METRICS_PORT: GET /metrics on a listener of its own (a private network, a sidecar's scrape), and
 * nothing else there; the app's own port then has no /metrics. It opens with the app and closes with it.
 */
@Injectable()
export class MetricsListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Metrics');
  private readonly listen: { port: number; host: string };
  private readonly bearer: MetricsBearer | null;
  private server: Server | null = null;

  constructor(
    private readonly metrics: Metrics,
    config: ConfigService<AppConfig, true>,
  ) {
    // MetricsModule provides this listener only when METRICS_PORT is set.
    const { listen, token } = config.get('metrics', { infer: true })!;
    this.listen = listen!;
    this.bearer = token === null ? null : new MetricsBearer(token);
  }

  /** Where Prometheus scrapes (the port the system gave when METRICS_PORT is 0); null until open. */
  get url(): string | null {
    const address = this.server?.address() as AddressInfo | null | undefined;
    if (!address) return null;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}/metrics`;
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = createServer((request, response) => void this.answer(request, response));
    server.listen(this.listen.port, this.listen.host);
    await once(server, 'listening');
    this.server = server;
    this.logger.log(`metrics on ${this.url}${this.bearer ? ' (METRICS_TOKEN required)' : ''}`);
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      return send(response, 404, errorBody(404, httpCode(404), 'Only GET /metrics is served on this port.'));
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, errorBody(405, httpCode(405), 'Read the metrics with GET.'));
    }
    if (this.bearer && !this.bearer.accepts(request.headers.authorization)) {
      response.setHeader('www-authenticate', 'Bearer');
      return send(
        response,
        401,
        errorBody(
          401,
          'AUTH.UNAUTHENTICATED',
          'Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.',
        ),
      );
    }
    try {
      const { contentType, text } = await this.metrics.exposition();
      response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
      response.end(request.method === 'HEAD' ? undefined : text);
    } catch (error) {
      this.logger.error(`metrics exposition failed: ${(error as Error).message}`);
      send(response, 500, errorBody(500, 'INTERNAL', 'The metrics could not be read; see the log.'));
    }
  }
}

function send(response: ServerResponse, status: number, body: object): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  });
  response.end(JSON.stringify(body));
}
