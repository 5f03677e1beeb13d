import type { LoggerService } from '@nestjs/common';
import type { Logger as Pino } from 'pino';
import { requestContext } from './request-context.js';

/** Nest's logger interface on top of pino: one JSON line per entry, `context` as a field. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Pino) {}

  log(message: unknown, ...params: unknown[]) {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]) {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]) {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]) {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.write('trace', message, params);
  }
  fatal(message: unknown, ...params: unknown[]) {
    this.write('fatal', message, params);
  }

  private write(
    level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal',
    message: unknown,
    params: unknown[],
  ) {
    // Nest passes the context last; errors may bring a stack before it.
    const context = typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
    const stack = typeof params[0] === 'string' ? params[0] : undefined;
    const requestId = requestContext.getStore()?.requestId;
    const fields = {
      context,
      ...(requestId ? { requestId } : {}),
      ...(stack && level === 'error' ? { stack } : {}),
    };
    if (typeof message === 'object' && message !== null) this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}
