import type { Socket } from 'node:net';
import { HttpRequestSplitter } from './answer-losing-relay.js';

/** DynamoDB's answer to a request it refuses: HTTP 400 with `__type` naming the error, as on the wire. */
function refusal(errorType: string): Buffer {
  const body = JSON.stringify({
    __type: `com.amazon.coral.validate#${errorType}`,
    message: `${errorType} injected by the test proxy`,
  });
  return Buffer.from(
    'HTTP/1.1 400 Bad Request\r\n' +
      'Content-Type: application/x-amz-json-1.0\r\n' +
      `x-amzn-RequestId: refused-${Date.now()}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/**
 * Relays one client connection to `upstream` request by request, answering the ones `refuses` picks
 * itself with DynamoDB's `errorType` instead of forwarding them. The SDK sends one request at a time
 * per connection, so an answer written here never overtakes the server's answer to an earlier one.
 */
export function relayRefusing(
  client: Socket,
  upstream: Socket,
  errorType: string,
  refuses: (target: string | undefined) => boolean,
): void {
  const splitter = new HttpRequestSplitter();
  client.on('data', (chunk: Buffer) => {
    try {
      for (const request of splitter.push(chunk)) {
        if (refuses(request.target)) client.write(refusal(errorType));
        else upstream.write(request.bytes);
      }
    } catch (error) {
      client.destroy(error as Error);
    }
  });
  upstream.on('data', (chunk: Buffer) => client.write(chunk));
}
