/**
 * The environment a Lambda adapter hands the runtime: its own environment plus the values of the secrets named in
 * `REVOPS_SECRET_ARNS` (a JSON map env name -> Secrets Manager ARN, set by infra). Fetched once per cold start and
 * cached, so secret values never sit in the function configuration and warm invocations make no extra calls.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '../aws/secretsManager.ts';
import { CodedError } from '../../compiler/codedError.ts';

export class LambdaConfigError extends CodedError<'lambda_config_invalid'> {
  override readonly name = 'LambdaConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('lambda_config_invalid', message, options);
  }
}

export async function resolveSecretEnv(env: Record<string, string | undefined>, client = new SecretsManagerClient({})):
  Promise<Record<string, string | undefined>> {
  let arns: Record<string, string>;
  try {
    arns = JSON.parse(env.REVOPS_SECRET_ARNS ?? '{}') as Record<string, string>;
  } catch (cause) {
    throw new LambdaConfigError('REVOPS_SECRET_ARNS is not a JSON object of env name -> secret ARN; redeploy with `pulumi up`', { cause });
  }
  const values = await Promise.all(Object.entries(arns).map(async ([name, arn]) => {
    const result = await client.send(new GetSecretValueCommand({ SecretId: arn })).catch((cause: unknown) => {
      throw new LambdaConfigError(`cannot read secret ${name} (${arn}); set it with ` +
        '`pulumi config set --secret revops:<name> <value>` and `pulumi up`', { cause });
    });
    // A binary-only secret has no SecretString: refuse it rather than run with the variable unset.
    if (typeof result.SecretString !== 'string') {
      throw new LambdaConfigError(`secret ${name} (${arn}) holds ${result.SecretBinary ? 'only a binary value (SecretBinary)' : 'no string value'}; ` +
        'the runtime reads text secrets: store it as a string with `pulumi config set --secret revops:<name> <value>` and `pulumi up`');
    }
    return [name, result.SecretString] as const;
  }));
  return { ...env, ...Object.fromEntries(values) };
}
