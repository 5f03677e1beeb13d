import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/** The `error` object of a Stripe error response. */
export interface StripeErrorBody {
  type: string;
  message: string;
  code?: string;
  param?: string;
}

/** What the stand-in answers: a status and a JSON body, as Stripe's v1 API does. */
export interface StandInAnswer {
  status: number;
  body: unknown;
}

export const ok = (body: unknown): StandInAnswer => ({ status: 200, body });

export const invalidRequest = (message: string, extra: Partial<StripeErrorBody> = {}, status = 400) => ({
  status,
  body: { error: { type: 'invalid_request_error', message, ...extra } },
});

export const noSuch = (object: string, id: string, param: string) =>
  invalidRequest(`No such ${object}: '${id}'`, { code: 'resource_missing', param }, 404);

export function send(response: ServerResponse, answer: StandInAnswer, headers: Record<string, string> = {}) {
  response
    .writeHead(answer.status, {
      'content-type': 'application/json',
      'request-id': `req_${randomUUID().replaceAll('-', '').slice(0, 14)}`,
      ...headers,
    })
    .end(JSON.stringify(answer.body));
}
