import type { Socket } from 'node:net';

/** One HTTP/1.1 request as it travelled on the wire, with its `X-Amz-Target` (`DynamoDB_20120810.GetItem`). */
export interface WireRequest {
  target: string | undefined;
  bytes: Buffer;
}

/**
 * Cuts complete HTTP/1.1 requests out of a keep-alive connection's bytes, by Content-Length. That is
 * all the AWS SDK sends to DynamoDB; a chunked body is refused rather than mis-cut.
 */
export class HttpRequestSplitter {
  private pending = Buffer.alloc(0);

  push(chunk: Buffer): WireRequest[] {
    this.pending = Buffer.concat([this.pending, chunk]);
    const requests: WireRequest[] = [];
    for (let request = this.next(); request; request = this.next()) requests.push(request);
    return requests;
  }

  private next(): WireRequest | undefined {
    const headEnd = this.pending.indexOf('\r\n\r\n');
    if (headEnd < 0) return undefined;
    const headers = parseHeaders(this.pending.subarray(0, headEnd).toString('latin1'));
    if (headers.has('transfer-encoding')) throw new Error('a chunked request body cannot be split');
    const end = headEnd + 4 + Number(headers.get('content-length') ?? 0);
    if (this.pending.length < end) return undefined;
    const bytes = this.pending.subarray(0, end);
    this.pending = this.pending.subarray(end);
    return { target: headers.get('x-amz-target'), bytes };
  }
}

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

/** The DynamoDB operation an `X-Amz-Target` names: `TransactWriteItems` for `DynamoDB_20120810.TransactWriteItems`. */
export const operationOf = (target: string | undefined) => target?.split('.').pop();

export interface AnswerLoss {
  /** Whether to lose the answer to the request with this target; asked once per request, in order. */
  loses(target: string | undefined): boolean;
  /** Called once the server has answered such a request (`HTTP/1.1 200 OK`) and the answer was dropped. */
  lost(statusLine: string): void;
}

/**
 * Relays one client connection to `upstream` request by request. A request that `loss` picks is still
 * forwarded, so the server acts on it; when its answer starts to arrive (the server is done with it)
 * the connection is destroyed instead, as if the network had dropped the answer. The client sends one
 * request at a time per connection, so the next bytes from upstream are always that request's answer.
 */
export function relayLosingAnswer(client: Socket, upstream: Socket, loss: AnswerLoss): void {
  const splitter = new HttpRequestSplitter();
  let losing = false;
  client.on('data', (chunk: Buffer) => {
    let requests: WireRequest[];
    try {
      requests = splitter.push(chunk);
    } catch (error) {
      client.destroy(error as Error);
      return;
    }
    for (const request of requests) {
      if (loss.loses(request.target)) losing = true;
      upstream.write(request.bytes);
    }
  });
  upstream.on('data', (chunk: Buffer) => {
    if (!losing) {
      client.write(chunk);
      return;
    }
    losing = false;
    client.destroy();
    upstream.destroy();
    loss.lost(chunk.subarray(0, chunk.indexOf('\r\n')).toString('latin1'));
  });
}
