import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AppConfig } from '../../config/app-config.js';
import type { Email } from '../../common/email.js';
import { withStorageErrors } from '../../dynamo/dynamo-errors.js';
import { InjectDynamo } from '../../dynamo/dynamo.tokens.js';
import { OpenCheckouts, type OpenCheckout } from './open-checkouts.js';

const openCheckoutKey = (email: Email, packageId: number) => ({
  pk: `OPEN_CHECKOUT#${email}#${packageId}`,
  sk: 'OPEN_CHECKOUT',
});

interface OpenCheckoutItem {
  session_id: string;
  url: string | null;
  expires_at: number;
}

const nowS = () => Math.floor(Date.now() / 1000);

/** One ledger-table item per user and package, gone (TTL on `expires_at`) when Stripe expires it. */
@Injectable()
export class DynamoOpenCheckouts extends OpenCheckouts {
  private readonly tableName: string;

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    config: ConfigService<AppConfig, true>,
  ) {
    super();
    this.tableName = config.get('payments', { infer: true }).ledgerTableName;
  }

  async find(email: Email, packageId: number): Promise<OpenCheckout | null> {
    const { Item } = await this.guard(() =>
      this.dynamo.send(
        new GetCommand({
          TableName: this.tableName,
          Key: openCheckoutKey(email, packageId),
          ConsistentRead: true,
        }),
      ),
    );
    // TTL deletes lazily (within days): an item past its time is already gone for us.
    return Item && Item.expires_at > nowS() ? toOpenCheckout(Item as OpenCheckoutItem) : null;
  }

  async remember(
    email: Email,
    packageId: number,
    session: OpenCheckout,
    replacing: string | null,
  ): Promise<OpenCheckout> {
    const item: OpenCheckoutItem = {
      session_id: session.sessionId,
      url: session.url,
      expires_at: session.expiresAt,
    };
    try {
      await this.guard(() =>
        this.dynamo.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...openCheckoutKey(email, packageId), ...item, email, package_id: packageId },
            ConditionExpression:
              'attribute_not_exists(pk) OR expires_at <= :now' +
              (replacing ? ' OR session_id = :replacing' : ''),
            ExpressionAttributeValues: { ':now': nowS(), ...(replacing ? { ':replacing': replacing } : {}) },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return session;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && error.Item) {
        return toOpenCheckout(unmarshall(error.Item) as OpenCheckoutItem);
      }
      throw error;
    }
  }

  private guard<T>(operation: () => Promise<T>): Promise<T> {
    return withStorageErrors(operation, 'The checkout records are unavailable; try again shortly.', [
      ConditionalCheckFailedException,
    ]);
  }
}

function toOpenCheckout(item: OpenCheckoutItem): OpenCheckout {
  return { sessionId: item.session_id, url: item.url ?? null, expiresAt: item.expires_at };
}
