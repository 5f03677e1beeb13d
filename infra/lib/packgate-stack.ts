import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { HttpApi, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Function as LambdaFunction, Runtime, type Code } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { PackgateAlarms } from './packgate-alarms.js';
import { PackgateTables, type PackgateTablesProps } from './packgate-tables.js';

/** Every DynamoDB action the running app sends (`grep 'new .*Command' src`), and nothing of `db:init`. */
export const TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  // TransactWriteItems is authorised per item: its Delete and ConditionCheck items need these two.
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
  'dynamodb:TransactWriteItems',
  // The start-up check of both tables' keys, and /health/ready.
  'dynamodb:DescribeTable',
];

export interface PackgateStackProps extends StackProps, PackgateTablesProps {
  /** The handler's code: `Code.fromAsset('dist/lambda')` in the app; anything self-contained in tests. */
  code: Code;
  authIssuer: string;
  authAudience: string;
  authJwksUrl?: string;
  packages: string;
  packageLimits?: string;
  logLevel?: string;
  checkoutSuccessUrl: string;
  checkoutCancelUrl: string;
  portalReturnUrl: string;
  /** Complete ARN of an existing secret holding `sk_…`; a new empty-valued secret is made otherwise. */
  stripeSecretKeyArn?: string;
  /** Complete ARN of an existing secret holding `whsec_…` (comma-separated for rotation). */
  stripeWebhookSecretArn?: string;
  /** Where alarm notifications go by e-mail; the SNS topic exists either way. */
  alarmEmail?: string;
}

/** packgate on AWS: one Lambda behind an HTTP API, over on-demand DynamoDB, with its alarms. */
export class PackgateStack extends Stack {
  constructor(scope: Construct, id: string, props: PackgateStackProps) {
    super(scope, id, props);
    const tables = new PackgateTables(this, 'Tables', props);
    const stripeKey = this.secret(
      'StripeSecretKey',
      props.stripeSecretKeyArn,
      'Stripe secret key (sk_… or rk_…)',
    );
    const webhookSecret = this.secret(
      'StripeWebhookSecret',
      props.stripeWebhookSecretArn,
      'Stripe webhook signing secret(s) (whsec_…, comma-separated)',
    );

    const logGroup = new LogGroup(this, 'HandlerLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const handler = new LambdaFunction(this, 'Handler', {
      code: props.code,
      handler: 'index.handler',
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      // CPU scales with memory (a full vCPU at 1 769 MB): 1 GB gives the cold start's module loading ~0.6 vCPU
      // while the app itself needs ~100 MB; requests mostly wait on DynamoDB, so more buys little.
      memorySize: 1024,
      // Above the server's own 9 s request timeout and DynamoDB's 3 attempts × 2 s, below the HTTP API's
      // 30 s cap: the caller gets packgate's 503 with Retry-After, not the gateway's bare one.
      timeout: Duration.seconds(10),
      logGroup,
      environment: {
        NODE_ENV: 'production',
        DYNAMO_ENDPOINT: 'aws',
        DYNAMO_TABLE_NAME: tables.users.tableName,
        DYNAMO_LEDGER_TABLE_NAME: tables.ledger.tableName,
        AUTH_ISSUER: props.authIssuer,
        AUTH_AUDIENCE: props.authAudience,
        ...(props.authJwksUrl ? { AUTH_JWKS_URL: props.authJwksUrl } : {}),
        PACKAGES: props.packages,
        ...(props.packageLimits ? { PACKAGE_LIMITS: props.packageLimits } : {}),
        LOG_LEVEL: props.logLevel ?? 'info',
        CHECKOUT_SUCCESS_URL: props.checkoutSuccessUrl,
        CHECKOUT_CANCEL_URL: props.checkoutCancelUrl,
        PORTAL_RETURN_URL: props.portalReturnUrl,
        STRIPE_SECRET_KEY_ARN: stripeKey.secretArn,
        STRIPE_WEBHOOK_SECRET_ARN: webhookSecret.secretArn,
      },
    });
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: TABLE_ACTIONS,
        resources: [tables.users.tableArn, tables.ledger.tableArn],
      }),
    );
    handler.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [stripeKey.secretArn, webhookSecret.secretArn],
      }),
    );

    const api = new HttpApi(this, 'Api', {
      defaultIntegration: new HttpLambdaIntegration('Handler', handler, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
    });

    const topic = new Topic(this, 'Alarms');
    if (props.alarmEmail) topic.addSubscription(new EmailSubscription(props.alarmEmail));
    new PackgateAlarms(this, 'Watch', {
      api,
      handler,
      logGroup,
      tables: { Users: tables.users, Ledger: tables.ledger },
      topic,
    });

    new CfnOutput(this, 'ApiUrl', { value: api.apiEndpoint });
    new CfnOutput(this, 'StripeSecretKeyArn', { value: stripeKey.secretArn });
    new CfnOutput(this, 'StripeWebhookSecretArn', { value: webhookSecret.secretArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: topic.topicArn });
  }

  /** An existing secret by complete ARN, or a new one (kept on stack deletion) whose value the operator sets. */
  private secret(id: string, arn: string | undefined, description: string): ISecret {
    if (arn) return Secret.fromSecretCompleteArn(this, id, arn);
    return new Secret(this, id, { description, removalPolicy: RemovalPolicy.RETAIN });
  }
}
