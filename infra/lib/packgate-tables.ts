import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { ledgerTable, usersTable, type TableSpec } from '../../src/dynamo/tables.js';

export interface PackgateTablesProps {
  usersTableName: string;
  ledgerTableName: string;
  /** Adopt the users table that already exists under this name (made by `db:init` or by hand). */
  existingUsersTable?: string;
  /** Adopt the ledger table that already exists under this name. */
  existingLedgerTable?: string;
}

/**
 * The users and ledger tables, shaped by the same specs `db:init` and the start-up check use. Created
 * tables outlive the stack (RETAIN + deletion protection); adopted ones are referenced, never modified.
 */
export class PackgateTables extends Construct {
  readonly users: ITable;
  readonly ledger: ITable;

  constructor(scope: Construct, id: string, props: PackgateTablesProps) {
    super(scope, id);
    this.users = props.existingUsersTable
      ? Table.fromTableName(this, 'Users', props.existingUsersTable)
      : this.create('Users', usersTable(props.usersTableName));
    this.ledger = props.existingLedgerTable
      ? Table.fromTableName(this, 'Ledger', props.existingLedgerTable)
      : this.create('Ledger', ledgerTable(props.ledgerTableName));
  }

  private create(id: string, spec: TableSpec): Table {
    return new Table(this, id, {
      tableName: spec.name,
      partitionKey: { name: spec.hashKey, type: AttributeType.STRING },
      sortKey: spec.rangeKey ? { name: spec.rangeKey, type: AttributeType.STRING } : undefined,
      timeToLiveAttribute: spec.ttlAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      deletionProtection: true,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
