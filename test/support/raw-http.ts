import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { connect } from 'node:net';

export interface RawExchange {
  /** Everything the server wrote. */
  text: string;
  /** From connecting until the server closed the socket, or until the client gave up. */
  elapsedMs: number;
  closedByServer: boolean;
}

/**
 * A client that speaks raw bytes: writes `chunks` one every `intervalMs` (a slow client when spaced
 * out, a half-sent request when they stop short) and reads until the server hangs up or `giveUpMs`.
 */
export function rawExchange(
  port: number,
  chunks: string[],
  { intervalMs = 0, giveUpMs = 15_000 }: { intervalMs?: number; giveUpMs?: number } = {},
): Promise<RawExchange> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let closedByServer = true;
    const pending = [...chunks];
    const writeNext = () => {
      const chunk = pending.shift();
      if (chunk === undefined || socket.destroyed) return;
      socket.write(chunk);
      if (pending.length > 0) writer = setTimeout(writeNext, intervalMs);
    };
    let writer = setTimeout(writeNext, 0);
    const giveUp = setTimeout(() => {
      closedByServer = false;
      socket.destroy();
    }, giveUpMs);
    socket.on('data', (data) => (text += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(writer);
      clearTimeout(giveUp);
      resolve({ text, elapsedMs: performance.now() - started, closedByServer });
    });
  });
}

/** The status, lower-cased headers and JSON body of the first response in `text`. */
export function parseRawResponse(text: string) {
  const [head, ...rest] = text.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  const body = rest.join('\r\n\r\n');
  return { status: Number(statusLine.split(' ')[1]), headers, body: body ? JSON.parse(body) : undefined };
}

/** Starts the app on a free local port and returns the port. */
export async function listenLocally(app: NestFastifyApplication): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  return (app.getHttpServer().address() as { port: number }).port;
}
