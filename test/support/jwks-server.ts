import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';

/** The key endpoints of a local OIDC provider, on 127.0.0.1 and a free port. */
export interface JwksServer {
  /** http://127.0.0.1:<port>: the issuer whose discovery document points at {@link jwksUrl}. */
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Replaces the published keys, as a provider does when it rotates them. */
  publish(keys: JWK[]): void;
  close(): Promise<void>;
}

const JWKS_PATH = '/jwks.json';
const DISCOVERY_PATH = '/.well-known/openid-configuration';

/** Serves `keys` as a JWKS, and `/.well-known/openid-configuration` naming this server as the issuer. */
export async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  let published = keys;
  let issuer = '';
  const server = createServer((request, response) => {
    if (request.method !== 'GET') return send(response, 405, { error: 'method not allowed' });
    if (request.url === JWKS_PATH) return send(response, 200, { keys: published });
    if (request.url === DISCOVERY_PATH) return send(response, 200, { issuer, jwks_uri: issuer + JWKS_PATH });
    return send(response, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    jwksUrl: issuer + JWKS_PATH,
    publish: (next) => {
      published = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The app's fetch keeps connections alive; drop them so close() does not wait on them.
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
