import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** One request as the stand-in received it; `form` is the urlencoded body, bracket keys kept flat. */
export interface RecordedStripeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
  /** The same parameters with repeated keys kept (`types[]=a&types[]=b`). */
  params: URLSearchParams;
  /** The raw body, which idempotency compares between requests sharing a key. */
  body: string;
}

export async function record(request: IncomingMessage): Promise<RecordedStripeRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  const url = new URL(request.url ?? '/', 'http://stand-in');
  const params = request.method === 'GET' ? url.searchParams : new URLSearchParams(body);
  return {
    method: request.method ?? '',
    path: url.pathname,
    headers: request.headers,
    form: Object.fromEntries(params),
    params,
    body,
  };
}

/** `metadata[key]=value` pairs of a form, as the object Stripe stores. */
export function metadataOf(form: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(form)
      .filter(([key]) => /^metadata\[[^\]]+\]$/.test(key))
      .map(([key, value]) => [key.slice('metadata['.length, -1), value]),
  );
}

/** The values of an array parameter, however the client indexed it (`types[]`, `types[0]`). */
export function arrayParam(params: URLSearchParams, name: string): string[] {
  const pattern = new RegExp(`^${name}\\[\\d*\\]$`);
  return [...params].filter(([key]) => pattern.test(key)).map(([, value]) => value);
}
