import { beforeAll, describe, expect, it } from '@jest/globals';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { PackgateStack, TABLE_ACTIONS, type PackgateStackProps } from '../lib/packgate-stack.js';

// The real bundle (dist/lambda) need not exist: the stack takes its code as a prop.
const settings: PackgateStackProps = {
  code: Code.fromInline('export const handler = async () => ({ statusCode: 200 });'),
  usersTableName: 'spec-users',
  ledgerTableName: 'spec-ledger',
  authIssuer: 'https://issuer.example.com/',
  authAudience: 'packgate-api',
  packages: '1:basic:price_basic,2:pro:price_pro',
  checkoutSuccessUrl: 'https://app.example.com/ok',
  checkoutCancelUrl: 'https://app.example.com/cancel',
  portalReturnUrl: 'https://app.example.com/account',
};

const synth = (overrides: Partial<PackgateStackProps> = {}) =>
  Template.fromStack(new PackgateStack(new App(), 'Spec', { ...settings, ...overrides }));

const logicalId = (template: Template, type: string, properties: object) => {
  const ids = Object.keys(template.findResources(type, { Properties: properties }));
  expect(ids).toHaveLength(1);
  return ids[0];
};

const statementsOf = (template: Template) =>
  Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Array<Record<string, unknown>>,
  );

describe('PackgateStack, creating its tables', () => {
  let template: Template;
  beforeAll(() => {
    template = synth();
  }, 120_000);

  it('makes both tables on-demand, protected from deletion, with PITR, kept when the stack goes', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 2);
    const tables = template.findResources('AWS::DynamoDB::Table');
    for (const table of Object.values(tables)) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it('shapes the tables as the app checks them at start-up, TTL on the ledger markers', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'spec-users',
      KeySchema: [{ AttributeName: 'email', KeyType: 'HASH' }],
      TimeToLiveSpecification: Match.absent(),
    });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'spec-ledger',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expires_at', Enabled: true },
    });
  });

  it('runs the handler on Node 22 or later, arm64, configured for production', () => {
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(fn.Properties.Runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
    expect(fn.Properties.Architectures).toEqual(['arm64']);
    expect(fn.Properties.Handler).toBe('index.handler');
    expect(fn.Properties.Environment.Variables).toMatchObject({
      NODE_ENV: 'production',
      DYNAMO_ENDPOINT: 'aws',
      AUTH_ISSUER: 'https://issuer.example.com/',
      AUTH_AUDIENCE: 'packgate-api',
      PACKAGES: '1:basic:price_basic,2:pro:price_pro',
    });
  });

  it('hands the handler secret ARNs, never a secret value', () => {
    const variables = Object.values(template.findResources('AWS::Lambda::Function'))[0].Properties.Environment
      .Variables;
    expect(variables).not.toHaveProperty('STRIPE_SECRET_KEY');
    expect(variables).not.toHaveProperty('STRIPE_WEBHOOK_SECRET');
    const secretIds = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    expect(secretIds).toHaveLength(2);
    expect(secretIds).toContain(variables.STRIPE_SECRET_KEY_ARN.Ref);
    expect(secretIds).toContain(variables.STRIPE_WEBHOOK_SECRET_ARN.Ref);
    for (const value of Object.values(variables))
      expect(JSON.stringify(value)).not.toMatch(/(sk|rk)_|whsec_/);
  });

  it('grants exactly the table actions the code sends, on exactly the two tables, and reading the two secrets', () => {
    const users = logicalId(template, 'AWS::DynamoDB::Table', { TableName: 'spec-users' });
    const ledger = logicalId(template, 'AWS::DynamoDB::Table', { TableName: 'spec-ledger' });
    const secrets = Object.keys(template.findResources('AWS::SecretsManager::Secret'));
    expect(statementsOf(template)).toEqual([
      {
        Effect: 'Allow',
        Action: [...TABLE_ACTIONS],
        Resource: [{ 'Fn::GetAtt': [users, 'Arn'] }, { 'Fn::GetAtt': [ledger, 'Arn'] }],
      },
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: secrets.map((id) => ({ Ref: id })),
      },
    ]);
    expect([...TABLE_ACTIONS].sort()).toEqual(
      [
        'dynamodb:BatchGetItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:DescribeTable',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:TransactWriteItems',
        'dynamodb:UpdateItem',
      ].sort(),
    );
  });

  it('routes every request to the handler through an HTTP API with payload format 2.0', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: '$default' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
    });
  });

  it('alarms on API 5xx, handler errors, throttling of each table and parked Stripe events', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: '5xx',
      Namespace: 'AWS/ApiGateway',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
    });
    const throttleAlarms = template.findResources('AWS::CloudWatch::Alarm', {
      Properties: { Metrics: Match.arrayWith([Match.objectLike({ Expression: 'reads + writes' })]) },
    });
    expect(Object.keys(throttleAlarms)).toHaveLength(2);
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.context = "PaymentsLedger") && ($.msg = "*parked, not applied*") }',
      MetricTransformations: [
        { MetricNamespace: 'packgate', MetricName: 'ParkedStripeEvents', MetricValue: '1' },
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ParkedStripeEvents',
      Namespace: 'packgate',
    });
  });
});

describe('PackgateStack, adopting existing tables and secrets', () => {
  const keyArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:packgate/stripe-key-AbCdEf';
  const hookArn = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:packgate/stripe-hook-GhIjKl';
  let template: Template;
  beforeAll(() => {
    template = synth({
      existingUsersTable: 'hand-made-users',
      existingLedgerTable: 'hand-made-ledger',
      stripeSecretKeyArn: keyArn,
      stripeWebhookSecretArn: hookArn,
    });
  }, 120_000);

  it('creates no table and no secret', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
  });

  it('points the handler and its grants at the adopted tables and secrets only', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          DYNAMO_TABLE_NAME: 'hand-made-users',
          DYNAMO_LEDGER_TABLE_NAME: 'hand-made-ledger',
          STRIPE_SECRET_KEY_ARN: keyArn,
          STRIPE_WEBHOOK_SECRET_ARN: hookArn,
        }),
      },
    });
    const [tableGrant, secretGrant] = statementsOf(template);
    expect(JSON.stringify(tableGrant.Resource)).toMatch(/table\/hand-made-users".*table\/hand-made-ledger"/);
    expect(tableGrant.Resource).toHaveLength(2);
    expect(secretGrant.Resource).toEqual([keyArn, hookArn]);
  });
});
