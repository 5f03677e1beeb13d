import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the stand-in received it; `form` is the urlencoded body, bracket keys kept flat. */
export interface RecordedStripeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
}

/** The `error` object of a Stripe error response. */
export interface StripeErrorBody {
  type: string;
  message: string;
  code?: string;
  param?: string;
}

/**
 * - `create-session`: answers `POST /v1/checkout/sessions` with a Checkout Session, as Stripe does;
 * - `error`: answers every request with `status` and `{ error }`;
 * - `drop-connection`: reads the request, then destroys the socket without answering (ECONNRESET).
 */
export type StandInBehaviour =
  | { kind: 'create-session' }
  | { kind: 'error'; status: number; error: StripeErrorBody }
  | { kind: 'drop-connection' };

/** A local HTTP server in Stripe's place, on 127.0.0.1 and a free port, that records what it receives. */
export interface StripeStandIn {
  /** http://127.0.0.1:<port>, for STRIPE_API_URL. */
  readonly url: string;
  /** Every request received since the last reset(), oldest first. */
  readonly requests: readonly RecordedStripeRequest[];
  /** Every Checkout Session answered since the last reset(). */
  readonly sessions: readonly CheckoutSessionObject[];
  answerWith(behaviour: StandInBehaviour): void;
  /** Forgets recorded requests and sessions and goes back to `create-session`. */
  reset(): void;
  /** Stops listening and drops open connections: the port then refuses connections. */
  close(): Promise<void>;
}

export type CheckoutSessionObject = ReturnType<typeof checkoutSession>;

const SESSIONS_PATH = '/v1/checkout/sessions';

export async function startStripeStandIn(): Promise<StripeStandIn> {
  let behaviour: StandInBehaviour = { kind: 'create-session' };
  const requests: RecordedStripeRequest[] = [];
  const sessions: CheckoutSessionObject[] = [];

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const recorded = await record(request);
    requests.push(recorded);
    if (behaviour.kind === 'drop-connection') return void request.socket.destroy();
    if (behaviour.kind === 'error') return send(response, behaviour.status, { error: behaviour.error });
    if (recorded.method !== 'POST' || recorded.path !== SESSIONS_PATH) {
      const message = `Unrecognized request URL (${recorded.method}: ${recorded.path}).`;
      return send(response, 404, { error: { type: 'invalid_request_error', message } });
    }
    const session = checkoutSession(recorded.form);
    sessions.push(session);
    send(response, 200, session);
  }

  // A client that gives up mid-request (the SDK's timeout) only loses its own socket.
  const server = createServer((request, response) => {
    answer(request, response).catch(() => request.socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    sessions,
    answerWith: (next) => {
      behaviour = next;
    },
    reset: () => {
      requests.length = 0;
      sessions.length = 0;
      behaviour = { kind: 'create-session' };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.close((error) => (error ? reject(error) : resolve()));
        // The SDK keeps connections alive; drop them so close() does not wait on them.
        server.closeAllConnections();
      }),
  };
}

async function record(request: IncomingMessage): Promise<RecordedStripeRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const url = new URL(request.url ?? '/', 'http://stand-in');
  const form = request.method === 'GET' ? url.searchParams : new URLSearchParams(body);
  return {
    method: request.method ?? '',
    path: url.pathname,
    headers: request.headers,
    form: Object.fromEntries(form),
  };
}

/** The fields of a v1 `checkout.session` that a payment-mode session created from `form` would carry. */
function checkoutSession(form: Record<string, string>) {
  const id = `cs_test_${randomUUID().replaceAll('-', '')}`;
  const created = Math.floor(Date.now() / 1000);
  const metadata = Object.fromEntries(
    Object.entries(form)
      .filter(([key]) => /^metadata\[[^\]]+\]$/.test(key))
      .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
  );
  return {
    id,
    object: 'checkout.session' as const,
    url: `https://checkout.stripe.com/c/pay/${id}`,
    mode: form.mode ?? null,
    status: 'open',
    payment_status: 'unpaid',
    client_reference_id: form.client_reference_id ?? null,
    customer_email: form.customer_email ?? null,
    metadata,
    success_url: form.success_url ?? null,
    cancel_url: form.cancel_url ?? null,
    payment_intent: null,
    livemode: false,
    created,
    expires_at: created + 24 * 3600,
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response
    .writeHead(status, { 'content-type': 'application/json', 'request-id': `req_${randomUUID()}` })
    .end(JSON.stringify(body));
}
