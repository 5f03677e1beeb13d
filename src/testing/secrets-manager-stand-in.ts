import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretsManagerStandIn {
  /** Where the SDK is pointed (AWS_ENDPOINT_URL_SECRETS_MANAGER). */
  endpoint: string;
  /** `<x-amz-target> <SecretId>` of every call, in order. */
  asked: string[];
  close(): Promise<void>;
}

/**
 * A stand-in for Secrets Manager's JSON API (GetSecretValue): `valueOf` gives each secret's string. For
 * testing a Lambda handler that reads its secrets from `<NAME>_ARN` variables without an AWS account.
 */
export async function startSecretsManagerStandIn(
  valueOf: (secretId: string) => string,
): Promise<SecretsManagerStandIn> {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      asked.push(`${request.headers['x-amz-target']} ${SecretId}`);
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      response.end(JSON.stringify({ ARN: SecretId, Name: 'n', SecretString: valueOf(SecretId) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
