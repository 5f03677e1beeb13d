/**
 * An API Gateway HTTP API (payload 2.0) event, as Lambda hands it to the handler. A body is sent
 * base64-encoded, as API Gateway does for bodies it does not take for text: the handler must read the bytes.
 */
export function apiEvent(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'abc.execute-api.eu-west-1.amazonaws.com', ...headers },
    requestContext: {
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'test' },
      stage: '$default',
      requestId: 'lambda-test',
      timeEpoch: Date.now(),
    },
    ...(body === undefined ? {} : { body: Buffer.from(body).toString('base64'), isBase64Encoded: true }),
  };
}
