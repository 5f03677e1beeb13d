import { expect } from '@jest/globals';

/** The parts of an `app.inject()` response that error assertions read. */
export interface InjectedResponse {
  statusCode: number;
  headers: Record<string, unknown>;
  json(): unknown;
}

/** Asserts packgate's error shape `{ statusCode, error, code, message, ...details }`. */
export function expectError(
  response: InjectedResponse,
  statusCode: number,
  error: string,
  code: string,
): void {
  expect(response.statusCode).toBe(statusCode);
  expect(response.json()).toMatchObject({ statusCode, error, code, message: expect.any(String) });
}

/** A 401 with exactly packgate's error body, telling the client to send a bearer token. */
export function expectUnauthenticated(response: InjectedResponse): void {
  expect(response.statusCode).toBe(401);
  expect(response.json()).toEqual({
    statusCode: 401,
    error: 'Unauthorized',
    code: 'AUTH.UNAUTHENTICATED',
    message: expect.any(String),
  });
  expect(response.headers['www-authenticate']).toBe('Bearer');
}
