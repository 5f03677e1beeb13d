/** Variables a Lambda may receive as Secrets Manager ARNs (`<NAME>_ARN`), never as plain text. */
export const SECRET_VARIABLES = ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'] as const;

/**
 * The environment with each `<NAME>_ARN` of SECRET_VARIABLES replaced by the secret's value (its
 * SecretString), read once per cold start. The Secrets Manager client is loaded only when an ARN is set.
 */
export async function withSecretsFromArns(
  env: Record<string, string | undefined>,
): Promise<Record<string, string | undefined>> {
  const wanted = SECRET_VARIABLES.filter((name) => env[`${name}_ARN`]);
  if (wanted.length === 0) return env;
  const { SecretsManagerClient, GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = new SecretsManagerClient({});
  try {
    const values = await Promise.all(
      wanted.map(async (name) => {
        const arn = env[`${name}_ARN`]!;
        const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: arn }));
        if (!SecretString) throw new Error(`${name}_ARN: the secret ${arn} has no string value`);
        return [name, SecretString.trim()] as const;
      }),
    );
    return { ...env, ...Object.fromEntries(values) };
  } finally {
    client.destroy();
  }
}
