import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthenticationError } from '../auth/authentication.error.js';
import type { AppConfig } from '../config/app-config.js';

const BEARER = /^Bearer +(\S+)$/i;

/** GET /metrics answers only to `Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(config: ConfigService<AppConfig, true>) {
    // MetricsModule registers this guard only when a token is configured.
    this.expected = digest(config.get('metrics', { infer: true })!.token);
  }

  canActivate(context: ExecutionContext): boolean {
    const { authorization } = context
      .switchToHttp()
      .getRequest<{ headers: Record<string, unknown> }>().headers;
    const match = typeof authorization === 'string' ? BEARER.exec(authorization.trim()) : null;
    // Digests of equal length: the comparison takes the same time whatever was sent.
    if (!match || !timingSafeEqual(digest(match[1]), this.expected)) {
      throw new AuthenticationError('Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.');
    }
    return true;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
