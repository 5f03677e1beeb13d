import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AppConfig } from '../config/app-config.js';
import type { Email } from '../common/email.js';
import { storageFailure } from '../dynamo/dynamo-errors.js';
import { InjectDynamo } from '../dynamo/dynamo.tokens.js';
import type { TransactionWrite } from '../dynamo/transaction.js';
import {
  assertPackageId,
  UserNotFoundError,
  type PackageChange,
  type User,
  type UserPackageState,
} from './user.js';
import type { PackageAccess } from './package-access.js';
import { UserPackageChanges } from './user-package-changes.js';
import { subscriptionUpdate, toAccess, toPackageState, toUser, type UserItem } from './user-item.js';
import { UsersRepository, type AddUserResult } from './users.repository.js';

@Injectable()
export class DynamoUsersRepository extends UsersRepository {
  private readonly tableName: string;

  constructor(
    @InjectDynamo() private readonly dynamo: DynamoDBDocumentClient,
    private readonly changes: UserPackageChanges,
    config: ConfigService<AppConfig, true>,
  ) {
    super();
    this.tableName = config.get('dynamo', { infer: true }).tableName;
  }

  async addUser(email: Email): Promise<AddUserResult> {
    const now = new Date().toISOString();
    const item: UserItem = { email, package_id: 0, created_at: now, updated_at: now };
    try {
      await this.dynamo.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: 'attribute_not_exists(email)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { user: toUser(item), created: true };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException && error.Item) {
        return { user: toUser(unmarshall(error.Item) as UserItem), created: false };
      }
      throw unavailable(error);
    }
  }

  async getUser(email: Email): Promise<User | null> {
    const item = await this.readItem(email);
    return item ? toUser(item) : null;
  }

  async setUserPackage(email: Email, packageId: number): Promise<User> {
    assertPackageId(packageId);
    try {
      const { Attributes } = await this.dynamo.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { email },
          UpdateExpression:
            'SET package_id = :packageId, updated_at = :now, created_at = if_not_exists(created_at, :now)',
          ConditionExpression: 'attribute_exists(email)',
          ExpressionAttributeValues: { ':packageId': packageId, ':now': new Date().toISOString() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const item = Attributes as UserItem;
      const access = toAccess(item);
      this.changes.publish(item.email as Email, access.packageId, access.until, access.lapse);
      return toUser(item);
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw new UserNotFoundError(email);
      throw unavailable(error);
    }
  }

  async getPackageAccess(email: Email): Promise<PackageAccess> {
    const item = await this.readItem(email);
    return item ? toAccess(item) : { packageId: 0, until: null };
  }

  async getPackageState(email: Email): Promise<UserPackageState | null> {
    const item = await this.readItem(email);
    return item ? toPackageState(item) : null;
  }

  private async readItem(email: Email): Promise<UserItem | null> {
    try {
      const { Item } = await this.dynamo.send(
        new GetCommand({ TableName: this.tableName, Key: { email }, ConsistentRead: true }),
      );
      return (Item as UserItem | undefined) ?? null;
    } catch (error) {
      throw unavailable(error);
    }
  }

  packageWrite(change: PackageChange): TransactionWrite {
    assertPackageId(change.packageId);
    const created = change.expectedVersion === null;
    // Outside writers set package_id without touching the version; compared as stored (a string stays one).
    const storedUnchanged =
      change.expectedStoredPackageId === null ? 'attribute_not_exists(package_id)' : 'package_id = :stored';
    const subscription = subscriptionUpdate(change.subscription);
    return {
      Update: {
        TableName: this.tableName,
        Key: { email: change.email },
        UpdateExpression:
          'SET package_id = :packageId, grants = :grants, grant_until = :grantUntil, updated_at = :now, ' +
          'created_at = if_not_exists(created_at, :now), version = if_not_exists(version, :zero) + :one' +
          subscription.expression,
        // Optimistic concurrency: another event for this user since our read makes this write fail.
        ConditionExpression: created
          ? 'attribute_not_exists(email)'
          : change.expectedVersion === 0
            ? `attribute_exists(email) AND (attribute_not_exists(version) OR version = :zero) AND ${storedUnchanged}`
            : `version = :expected AND ${storedUnchanged}`,
        ExpressionAttributeValues: {
          ':packageId': change.packageId,
          ':grants': change.grants,
          ':grantUntil': change.grantUntil,
          ':now': new Date().toISOString(),
          ':zero': 0,
          ':one': 1,
          ...subscription.values,
          ...(created || change.expectedVersion === 0 ? {} : { ':expected': change.expectedVersion }),
          ...(created || change.expectedStoredPackageId === null
            ? {}
            : { ':stored': change.expectedStoredPackageId }),
        },
      },
    };
  }
}

function unavailable(error: unknown): Error {
  return storageFailure(error, 'The user store is unavailable; try again shortly.');
}
