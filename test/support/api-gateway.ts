import { TEST_PACKAGES } from './stripe-events.js';
import { ledgerTableOf } from './test-app.js';
import { TEST_DEV_SECRET, TEST_WEBHOOK_SECRET } from './tokens.js';

/** The environment a Lambda of these tests is configured from, as on Lambda: DynamoDB Local, test secrets. */
export function lambdaEnvironment(dynamoEndpoint: string, tableName: string): Record<string, string> {
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DYNAMO_ENDPOINT: dynamoEndpoint,
    DYNAMO_TABLE_NAME: tableName,
    DYNAMO_LEDGER_TABLE_NAME: ledgerTableOf(tableName),
    AUTH_DEV_SECRET: TEST_DEV_SECRET,
    STRIPE_WEBHOOK_SECRET: TEST_WEBHOOK_SECRET,
    STRIPE_LOCAL: 'false',
    PACKAGES: TEST_PACKAGES,
  };
}

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
