import { describe, expect, it } from '@jest/globals';
import { listenLocally, parseRawResponse, rawExchange } from '../support/raw-http.js';
import { useTestApp } from '../support/test-app.js';
import { useTestDynamo } from '../support/test-dynamo.js';
import { bearer, devToken } from '../support/tokens.js';

// Written into requests that are refused, to prove no answer repeats what the client sent.
const MARKER = 'echo-probe-7f3a';
const STAFF = 'staff@example.com';

const request = (head: string) => `${head}\r\nHost: localhost\r\nConnection: close\r\n\r\n`;

function expectJsonError(text: string, status: number, code: string) {
  const response = parseRawResponse(text);
  expect(response.status).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.body).toEqual({
    statusCode: status,
    error: expect.any(String),
    code,
    message: expect.any(String),
  });
  expect(text).not.toContain(MARKER);
  return response;
}

describe('HTTP limits: slow clients, framing errors, unknown methods, sizes (default settings)', () => {
  const dynamo = useTestDynamo();
  const t = useTestApp(dynamo, { ADMIN_EMAILS: STAFF });

  let port: number | undefined;
  const listening = async () => (port ??= await listenLocally(t.app));

  it('cuts slow and idle clients within 10 s, and idle keep-alive connections within 5 s', async () => {
    const port = await listening();
    const headerLines = Array.from({ length: 30 }, (_, i) => `X-Slow-${i}: 1\r\n`);
    const [slowHeaders, slowBody, silent, keptAlive] = await Promise.all([
      rawExchange(port, ['GET /health HTTP/1.1\r\nHost: localhost\r\n', ...headerLines], { intervalMs: 500 }),
      rawExchange(
        port,
        [
          'POST /users/me HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n',
          ...Array.from({ length: 30 }, () => ' '),
        ],
        { intervalMs: 500 },
      ),
      rawExchange(port, []),
      rawExchange(port, ['GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n']),
    ]);

    for (const slow of [slowHeaders, slowBody, silent]) {
      expect(slow.closedByServer).toBe(true);
      // HTTP_REQUEST_TIMEOUT_MS (9 s) plus at most one 1 s deadline check, plus scheduling slack.
      expect(slow.elapsedMs).toBeLessThanOrEqual(10_000 + 500);
    }
    expectJsonError(slowHeaders.text, 408, 'HTTP.REQUEST_TIMEOUT');
    expectJsonError(slowBody.text, 408, 'HTTP.REQUEST_TIMEOUT');
    expect(keptAlive.closedByServer).toBe(true);
    // Node keeps an idle socket up to a second past keepAliveTimeout.
    expect(keptAlive.elapsedMs).toBeLessThanOrEqual(5_000 + 1_500);
    expect(parseRawResponse(keptAlive.text.split('\r\n\r\n').slice(0, 2).join('\r\n\r\n')).status).toBe(200);
  }, 20_000);

  it.each<[string, string, number, string]>([
    [
      'Content-Length with Transfer-Encoding (request smuggling)',
      `POST /users/me HTTP/1.1\r\nHost: localhost\r\nX-Probe: ${MARKER}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`,
      400,
      'HTTP.BAD_REQUEST',
    ],
    [
      'a header name with a space',
      request(`GET /health HTTP/1.1\r\nX ${MARKER}: 1`),
      400,
      'HTTP.BAD_REQUEST',
    ],
    [
      'headers over 16 KiB',
      request(`GET /health HTTP/1.1\r\nX-Big: ${MARKER}${'a'.repeat(17_000)}`),
      431,
      'HTTP.HEADERS_TOO_LARGE',
    ],
    ['a method HTTP does not define', request(`FOO /${MARKER} HTTP/1.1`), 405, 'HTTP.METHOD_NOT_ALLOWED'],
    ['a method no route serves', request(`PROPFIND /${MARKER} HTTP/1.1`), 405, 'HTTP.METHOD_NOT_ALLOWED'],
    ['CONNECT', request(`CONNECT ${MARKER}.example:443 HTTP/1.1`), 405, 'HTTP.METHOD_NOT_ALLOWED'],
    ['a malformed percent-encoding', request(`GET /health/%c0${MARKER} HTTP/1.1`), 400, 'HTTP.BAD_REQUEST'],
    ['an unknown path', request(`GET /${MARKER} HTTP/1.1`), 404, 'HTTP.NOT_FOUND'],
  ])('answers %s in the JSON error shape, repeating nothing', async (_case, bytes, status, code) => {
    const port = await listening();
    const exchange = await rawExchange(port, [bytes], { giveUpMs: 3_000 });
    const response = expectJsonError(exchange.text, status, code);
    if (status === 405) expect(response.headers.allow).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
  });

  it('accepts a 254-character email in an admin path (maxParamLength 320)', async () => {
    const email = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(53)}.example`;
    expect(email).toHaveLength(254);
    const response = await t.app.inject({
      method: 'GET',
      url: `/admin/users/${encodeURIComponent(email)}/history`,
      headers: bearer(await devToken(STAFF)),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ email, history: [] });
  });

  it('refuses a body over HTTP_BODY_LIMIT_BYTES (1 MiB) with 413 REQUEST.BODY_TOO_LARGE', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/users/me',
      headers: { ...bearer(await devToken(STAFF)), 'content-type': 'application/json' },
      payload: JSON.stringify({ padding: 'x'.repeat(1_100_000) }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      code: 'REQUEST.BODY_TOO_LARGE',
      message: expect.any(String),
    });
  });
});
