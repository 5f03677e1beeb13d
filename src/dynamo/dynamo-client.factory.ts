import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AppConfig } from '../config/app-config.js';

// DynamoDB Local accepts any credentials made of letters and digits.
const LOCAL_CREDENTIALS = { accessKeyId: 'packgate', secretAccessKey: 'local' };
const LOCAL_REGION = 'us-east-1';

/**
 * A document client with explicit time limits: the SDK has none by default, and a DynamoDB that
 * stops answering must turn into a bounded error, never a hung request.
 */
export function createDynamoClient(dynamo: AppConfig['dynamo'], endpointUrl: string | undefined) {
  const aws = dynamo.endpoint.kind === 'aws';
  const useAwsCredentials = aws || (dynamo.endpoint.kind === 'url' && dynamo.endpoint.awsCredentials);
  const client = new DynamoDBClient({
    endpoint: endpointUrl,
    region: dynamo.region ?? (aws ? undefined : LOCAL_REGION),
    credentials: useAwsCredentials ? undefined : LOCAL_CREDENTIALS,
    maxAttempts: dynamo.maxAttempts,
    requestHandler: new NodeHttpHandler({
      connectionTimeout: dynamo.connectTimeoutMs,
      requestTimeout: dynamo.timeoutMs,
      throwOnRequestTimeout: true,
    }),
  });
  return DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true },
  });
}
