import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AuthenticationError } from '../auth/authentication.error.js';
import type { AppConfig } from '../config/app-config.js';
import { MetricsBearer } from './metrics-bearer.js';

/** GET /metrics answers only to `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly bearer: MetricsBearer;

  constructor(config: ConfigService<AppConfig, true>) {
    // MetricsModule registers this guard only when a token is configured.
    this.bearer = new MetricsBearer(config.get('metrics', { infer: true })!.token!);
  }

  canActivate(context: ExecutionContext): boolean {
    const { authorization } = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown> }>().headers;
    if (!this.bearer.accepts(authorization)) {
      throw new AuthenticationError('Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.');
    }
    return true;
  }
}
