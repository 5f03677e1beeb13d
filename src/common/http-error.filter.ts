import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { STATUS_CODES } from 'node:http';
import { throttledHeaders } from '../http/rate-limit-headers.js';
import { ServedPaths } from '../http/served-paths.js';
import { DomainError, RateLimitedError } from './domain-error.js';
import type { ErrorBody } from './error-body.js';

/** HTTP status of each domain error code; a code missing here is a bug and answers 500. */
const STATUS_BY_CODE: Record<string, number> = {
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.TOO_MANY_FAILURES': 429,
  'DEPENDENCY.UNAVAILABLE': 503,
  'PAYMENTS.PACKAGE_REQUIRED': 402,
  'PAYMENTS.INVALID_SIGNATURE': 400,
  'PAYMENTS.TOO_MANY_INVALID_SIGNATURES': 429,
  'PAYMENTS.INVALID_EVENT': 400,
  'PAYMENTS.UNAPPLIED_NOT_FOUND': 404,
  'PAYMENTS.STILL_UNAPPLIED': 409,
  'PAYMENTS.UNKNOWN_PACKAGE': 400,
  'PAYMENTS.NOT_FOR_SALE': 400,
  'PAYMENTS.ALREADY_OWNED': 409,
  'PAYMENTS.ALREADY_SUBSCRIBED': 409,
  'PAYMENTS.NO_CUSTOMER': 404,
  'PAYMENTS.NOT_CONFIGURED': 503,
  'PAYMENTS.PROVIDER_ERROR': 502,
  'AUTH.FORBIDDEN': 403,
  'USAGE.LIMIT_EXCEEDED': 429,
  'AUTH.TOKEN_REQUIRED': 403,
  'API_KEYS.LIMIT_REACHED': 409,
  'API_KEYS.NOT_FOUND': 404,
  'REQUEST.INVALID': 400,
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': 415,
  'USERS.INVALID_EMAIL': 400,
  'USERS.INVALID_PACKAGE': 400,
  'USERS.NOT_FOUND': 404,
};

/**
 * Errors raised before any handler runs, by Fastify or by Node's HTTP parser, keyed by their code.
 * The messages are fixed: some of those errors quote the URL or a header, which an answer never does.
 */
const FRAMEWORK_ERRORS: Record<string, [statusCode: number, code: string, message: string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    415,
    'REQUEST.UNSUPPORTED_MEDIA_TYPE',
    'Send the body as Content-Type: application/json.',
  ],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'REQUEST.BODY_TOO_LARGE', 'The body is larger than this server accepts.'],
  FST_ERR_BAD_URL: [400, 'HTTP.BAD_REQUEST', 'The URL is not valid (malformed percent-encoding).'],
  FST_ERR_MAX_PARAM_LENGTH: [
    414,
    'HTTP.URI_TOO_LONG',
    'A segment of the path is longer than this server accepts.',
  ],
  HPE_HEADER_OVERFLOW: [
    431,
    'HTTP.HEADERS_TOO_LARGE',
    'The request headers are larger than this server accepts.',
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'HTTP.REQUEST_TIMEOUT', 'The request did not arrive in time.'],
  HPE_INVALID_METHOD: [405, 'HTTP.METHOD_NOT_ALLOWED', 'This server does not answer that method.'],
};

/** Headers that go with a status: how to authenticate, when to come back. */
const HEADERS_BY_STATUS: Record<number, Record<string, string>> = {
  401: { 'WWW-Authenticate': 'Bearer' },
  503: { 'Retry-After': '1' },
};

export type { ErrorBody } from './error-body.js';

/** The one place errors become HTTP answers: `{ statusCode, error, code, message, ...details }`. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrorFilter');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly servedPaths: ServedPaths,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const { id: requestId } = host.switchToHttp().getRequest<{ id?: string }>();
    const body = this.toBody(exception, requestId);
    const reply = host.switchToHttp().getResponse();
    const adapter = this.adapterHost.httpAdapter;
    const headers =
      exception instanceof RateLimitedError
        ? throttledHeaders(exception.rateLimit)
        : HEADERS_BY_STATUS[body.statusCode];
    for (const [name, value] of Object.entries(headers ?? {})) {
      adapter.setHeader(reply, name, value);
    }
    adapter.reply(reply, body, body.statusCode);
  }

  private toBody(exception: unknown, requestId: string | undefined): ErrorBody {
    const domainStatus = exception instanceof DomainError ? statusOf(exception) : undefined;
    if (exception instanceof DomainError && domainStatus) {
      const statusCode = domainStatus;
      if (statusCode >= 500) {
        this.logger.warn({ requestId, msg: `${exception.code}: ${describeCause(exception)}` });
      }
      return {
        ...errorBody(statusCode, exception.code, exception.message),
        ...this.servedPaths.inDetails(exception.details),
      };
    }
    // Nest's Fastify adapter hands Fastify's own request errors over wrapped in an HttpException.
    const fastifyError = exception instanceof HttpException ? exception.cause : exception;
    const known = FRAMEWORK_ERRORS[(fastifyError as { code?: unknown } | null)?.code as string];
    if (known) return errorBody(...known);
    const fastifyStatus = clientErrorStatus(fastifyError);
    if (fastifyStatus) {
      return errorBody(fastifyStatus, 'REQUEST.INVALID', (exception as Error).message);
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      // Nest's own 404 quotes the method and path; an answer never repeats the request.
      const message = statusCode === 404 ? 'No route answers this method and path.' : exception.message;
      return errorBody(statusCode, httpCode(statusCode), message);
    }
    this.logger.error({ requestId, msg: describeBug(exception) });
    return errorBody(500, 'INTERNAL', 'Something went wrong on our side.');
  }
}

/** packgate's codes first (a subclass cannot remap them), then the status an app's own error declares. */
function statusOf(error: DomainError): number | undefined {
  const status = STATUS_BY_CODE[error.code] ?? error.status;
  return Number.isInteger(status) && status! >= 400 && status! <= 599 ? status : undefined;
}

export function errorBody(statusCode: number, code: string, message: string): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message };
}

/** `HTTP.METHOD_NOT_ALLOWED` for 405: the code of a status no domain error explains. */
export function httpCode(statusCode: number): string {
  return `HTTP.${(STATUS_CODES[statusCode] ?? 'ERROR').toUpperCase().replace(/\W+/g, '_')}`;
}

/**
 * The answer to a request refused before any route ran: by Node's parser (framing, header size,
 * timeouts) or by Fastify's router (a bad URL), from the error's code.
 */
export function frameworkErrorBody(errorCode: string | undefined): ErrorBody {
  const known = errorCode === undefined ? undefined : FRAMEWORK_ERRORS[errorCode];
  return known
    ? errorBody(...known)
    : errorBody(400, 'HTTP.BAD_REQUEST', 'The request could not be read as HTTP/1.1.');
}

/** Fastify's own request errors (bad JSON, wrong content type, body too large) carry a 4xx statusCode. */
function clientErrorStatus(exception: unknown): number | null {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}

function describeCause(error: Error): string {
  const cause = error.cause;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : error.message;
}

function describeBug(exception: unknown): string {
  if (!(exception instanceof Error)) return String(exception);
  const cause = exception.cause instanceof Error ? `\ncaused by ${exception.cause.stack}` : '';
  return `${exception.stack ?? exception.message}${cause}`;
}
