import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { operationOf, relayLosingAnswer } from './answer-losing-relay.js';
import { relayRefusing } from './refusing-relay.js';

/** See `loseAnswerOf`. */
export interface LoseAnswerMode {
  kind: 'lose-answer-of';
  operation: string;
  times: number;
}

/**
 * Forwards everything, except that the answers to the next `times` requests for DynamoDB `operation`
 * (`TransactWriteItems`) are lost: the server receives and carries out each request, then the
 * connection is dropped instead of relaying its answer, like a network failing at the worst moment.
 */
export const loseAnswerOf = (operation: string, times = 1): LoseAnswerMode => ({
  kind: 'lose-answer-of',
  operation,
  times,
});

/** See `refuseWith`. */
export interface RefuseMode {
  kind: 'refuse-with';
  operation: string;
  errorType: string;
  times: number;
}

/**
 * Forwards everything, except that the next `times` requests for DynamoDB `operation` never reach the
 * server: the proxy answers them itself with DynamoDB's 400 error `errorType` (`ValidationException`),
 * in DynamoDB's wire format, so the SDK and packgate see exactly what such a refusal looks like.
 */
export const refuseWith = (operation: string, errorType: string, times = 1): RefuseMode => ({
  kind: 'refuse-with',
  operation,
  errorType,
  times,
});

/**
 * - `forward`: a plain TCP pipe to the target;
 * - `refuse`: nothing listens on the port, so connecting fails at once (ECONNREFUSED);
 * - `black-hole`: connections are accepted and never answered, like a stalled network path;
 * - `loseAnswerOf(operation, times)`, `refuseWith(operation, errorType, times)`: see there.
 */
export type ProxyMode = 'forward' | 'refuse' | 'black-hole' | LoseAnswerMode | RefuseMode;

/**
 * A TCP proxy on 127.0.0.1 between the app and a server (DynamoDB Local), that a test switches to make
 * the server unreachable, or lose some answers, and back. The app is started through it while it forwards,
 * so start-up checks pass; every switch drops the open connections, so pooled keep-alive sockets meet
 * the new mode too.
 */
export class SwitchableProxy {
  private mode: ProxyMode = 'forward';
  /** How many more answers a `lose-answer-of` mode is to lose. */
  private toLose = 0;
  private readonly lost: string[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly server: Server = createServer((socket) => this.accept(socket));

  private constructor(
    private readonly target: { host: string; port: number },
    private port = 0,
  ) {}

  /** Starts forwarding to `targetUrl` (http://host:port) on a free port. */
  static async start(targetUrl: string): Promise<SwitchableProxy> {
    const { hostname, port } = new URL(targetUrl);
    const proxy = new SwitchableProxy({ host: hostname, port: Number(port) });
    await proxy.listen();
    return proxy;
  }

  /** http://127.0.0.1:<port>, the address to give the app; it stays the same across switches. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** How many answers `lose-answer-of` modes have dropped so far, so a test can tell one really was. */
  get answersLost(): number {
    return this.lost.length;
  }

  /** The status line of each dropped answer (`HTTP/1.1 200 OK`: the server did carry out the request). */
  get lostAnswerStatuses(): readonly string[] {
    return [...this.lost];
  }

  async switchTo(mode: ProxyMode): Promise<void> {
    this.dropConnections();
    if (mode === 'refuse' && this.server.listening) await this.stopListening();
    if (mode !== 'refuse' && !this.server.listening) await this.listen();
    this.mode = mode;
    this.toLose = typeof mode === 'object' ? mode.times : 0;
  }

  async close(): Promise<void> {
    this.dropConnections();
    if (this.server.listening) await this.stopListening();
  }

  private accept(client: Socket): void {
    this.track(client);
    if (this.mode === 'black-hole') {
      client.resume(); // read and drop the request; never answer
      return;
    }
    const upstream = this.track(createConnection(this.target));
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    const mode = this.mode;
    if (typeof mode !== 'object') {
      client.pipe(upstream).pipe(client);
      return;
    }
    if (mode.kind === 'refuse-with') {
      relayRefusing(client, upstream, mode.errorType, (target) => this.picks(target, mode.operation));
      return;
    }
    relayLosingAnswer(client, upstream, {
      loses: (target) => this.picks(target, mode.operation),
      lost: (statusLine) => this.lost.push(statusLine),
    });
  }

  /** Whether this request is one of the next `times` for the mode's operation (counting it if so). */
  private picks(target: string | undefined, operation: string): boolean {
    if (this.toLose === 0 || operationOf(target) !== operation) return false;
    this.toLose--;
    return true;
  }

  private track(socket: Socket): Socket {
    this.sockets.add(socket);
    socket.on('error', () => socket.destroy()); // resets are expected: connections are dropped on purpose
    socket.on('close', () => this.sockets.delete(socket));
    return socket;
  }

  private dropConnections(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  private listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      // The same port again after `refuse`, so the app's configured endpoint still points here.
      this.server.listen(this.port, '127.0.0.1', () => {
        this.server.off('error', reject);
        const address = this.server.address();
        if (address && typeof address === 'object') this.port = address.port;
        resolve();
      });
    });
  }

  private stopListening(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}
