import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AppConfig } from '../../config/app-config.js';
import type { Email } from '../../common/email.js';
import { storageFailure, withStorageErrors } from '../../dynamo/dynamo-errors.js';
import { InjectDynamo } from '../../dynamo/dynamo.tokens.js';
import { TransactionCancelledError, transactWrite } from '../../dynamo/transaction.js';
import { CustomerDirectory } from './customer-directory.js';

const customerKey = (customerId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: 'CUSTOMER' });

/**
 * The customer id lives on the user item (`stripe_customer_id`, written once) and, for webhooks that
 * name only the customer, in a `CUSTOMER#…` item of the ledger table written in the same transaction.
 */
@Injectable()
export class DynamoCustomerDirectory extends CustomerDirectory {
  private readonly usersTable: string;
  private readonly ledgerTable: string;

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    config: ConfigService<AppConfig, true>,
  ) {
    super();
    this.usersTable = config.get('dynamo', { infer: true }).tableName;
    this.ledgerTable = config.get('payments', { infer: true }).ledgerTableName;
  }

  async customerOf(email: Email): Promise<string | null> {
    const item = await this.read(this.usersTable, { email });
    return typeof item?.stripe_customer_id === 'string' ? item.stripe_customer_id : null;
  }

  async claim(email: Email, customerId: string): Promise<string> {
    const now = new Date().toISOString();
    try {
      await this.guard(() =>
        transactWrite(this.dynamo, [
          {
            Update: {
              TableName: this.usersTable,
              Key: { email },
              // Creates the user if needed without taking part in the ledger's versioning: no
              // version, and a package_id only where there was none.
              UpdateExpression:
                'SET stripe_customer_id = :customer, package_id = if_not_exists(package_id, :zero), ' +
                'created_at = if_not_exists(created_at, :now), updated_at = if_not_exists(updated_at, :now)',
              ConditionExpression: 'attribute_not_exists(stripe_customer_id)',
              ExpressionAttributeValues: { ':customer': customerId, ':zero': 0, ':now': now },
            },
          },
          {
            Put: {
              TableName: this.ledgerTable,
              Item: { ...customerKey(customerId), email, created_at: now },
              ConditionExpression: 'attribute_not_exists(pk) OR email = :email',
              ExpressionAttributeValues: { ':email': email },
            },
          },
        ]),
      );
      return customerId;
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      if (error.conditionFailedAt(1)) {
        throw new Error(`Stripe customer ${customerId} is already recorded for another user`, {
          cause: error,
        });
      }
      const inForce = error.conditionFailedAt(0) ? await this.customerOf(email) : null;
      if (!inForce) throw storageFailure(error, UNAVAILABLE); // not a recorded customer: a conflict or worse
      return inForce;
    }
  }

  async userOf(customerId: string): Promise<Email | null> {
    const item = await this.read(this.ledgerTable, customerKey(customerId));
    return typeof item?.email === 'string' ? (item.email as Email) : null;
  }

  private async read(table: string, key: Record<string, string>) {
    const { Item } = await this.guard(() =>
      this.dynamo.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })),
    );
    return Item;
  }

  private guard<T>(operation: () => Promise<T>): Promise<T> {
    return withStorageErrors(operation, UNAVAILABLE, [TransactionCancelledError]);
  }
}

const UNAVAILABLE = 'The customer records are unavailable; try again shortly.';
