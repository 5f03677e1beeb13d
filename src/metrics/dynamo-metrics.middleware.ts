import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { performance } from 'node:perf_hooks';
import type { Metrics } from './metrics.js';

/**
 * Counts every call of the client by operation (`GetItem`, `TransactWriteItems`…), with its duration
 * and, when it fails after the SDK's retries, its error name. At the initialize step: once per call.
 */
export function measureDynamoCalls(client: DynamoDBDocumentClient, metrics: Metrics): void {
  if (!metrics.enabled) return;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const started = performance.now();
      try {
        const output = await next(args);
        metrics.dynamoCalled(operation, (performance.now() - started) / 1000);
        return output;
      } catch (error) {
        metrics.dynamoCalled(operation, (performance.now() - started) / 1000, error ?? 'Error');
        throw error;
      }
    },
    { step: 'initialize', name: 'packgateMetrics', override: true },
  );
}
