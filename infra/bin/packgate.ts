// The CDK app: `npx cdk synth -c authIssuer=… -c authAudience=… …` (see cdk.json and README "Deploy to AWS").
// Every setting comes from CDK context; nothing is looked up in an AWS account, so synth runs offline.
import { App } from 'aws-cdk-lib';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { existsSync } from 'node:fs';
import { PackgateStack } from '../lib/packgate-stack.js';

const BUNDLE = 'dist/lambda';

const app = new App();
const optional = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  return value === undefined || value === '' ? undefined : String(value);
};
const required = (key: string): string => {
  const value = optional(key);
  if (value === undefined) throw new Error(`CDK context "${key}" is required: pass -c ${key}=… to cdk.`);
  return value;
};

if (!existsSync(`${BUNDLE}/index.mjs`)) {
  throw new Error(`${BUNDLE}/index.mjs is missing: run \`npm run build:lambda\` first.`);
}

new PackgateStack(app, optional('stackName') ?? 'Packgate', {
  code: Code.fromAsset(BUNDLE),
  usersTableName: optional('usersTableName') ?? 'packgate-users',
  ledgerTableName: optional('ledgerTableName') ?? 'packgate-ledger',
  existingUsersTable: optional('existingUsersTable'),
  existingLedgerTable: optional('existingLedgerTable'),
  authIssuer: required('authIssuer'),
  authAudience: required('authAudience'),
  authJwksUrl: optional('authJwksUrl'),
  packages: required('packages'),
  packageLimits: optional('packageLimits'),
  logLevel: optional('logLevel'),
  checkoutSuccessUrl: required('checkoutSuccessUrl'),
  checkoutCancelUrl: required('checkoutCancelUrl'),
  portalReturnUrl: required('portalReturnUrl'),
  stripeSecretKeyArn: optional('stripeSecretKeyArn'),
  stripeWebhookSecretArn: optional('stripeWebhookSecretArn'),
  alarmEmail: optional('alarmEmail'),
});
