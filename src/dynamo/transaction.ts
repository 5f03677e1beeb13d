import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';

/** One write of a DynamoDB transaction (document-client form). */
export type TransactionWrite = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The transaction was cancelled; `reasons[i]` is the cancellation code of write i ('None' if it was fine). */
export class TransactionCancelledError extends Error {
  override name = 'TransactionCancelledError';

  constructor(readonly reasons: string[]) {
    super(`transaction cancelled: ${reasons.join(', ')}`);
  }

  /** Whether write `index` failed its condition. */
  conditionFailedAt(index: number): boolean {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }
}

/** Commits `writes` all or nothing; a cancellation becomes TransactionCancelledError with its reasons. */
export async function transactWrite(
  dynamo: DynamoDBDocumentClient,
  writes: TransactionWrite[],
): Promise<void> {
  try {
    await dynamo.send(new TransactWriteCommand({ TransactItems: writes }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      throw new TransactionCancelledError(
        (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None'),
      );
    }
    throw error;
  }
}
