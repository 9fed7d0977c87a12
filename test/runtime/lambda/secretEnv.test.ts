/** The secrets a Lambda adapter loads (REVOPS_SECRET_ARNS): string values set, anything else refused by name. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { LambdaConfigError, resolveSecretEnv } from '../../../runtime/lambda/secretEnv.ts';

const secrets = mockClient(SecretsManagerClient);
beforeEach(() => secrets.reset());
const ARNS = JSON.stringify({ SLACK_BOT_TOKEN: 'arn:aws:secretsmanager:us-east-1:1:secret:bot', FIREBOLT_CLIENT_SECRET: 'arn:aws:secretsmanager:us-east-1:1:secret:fb' });

describe('resolveSecretEnv', () => {
  it('sets each variable to its secret string', async () => {
    secrets.on(GetSecretValueCommand).callsFake(async (input: { SecretId: string }) => ({ SecretString: `value of ${input.SecretId.split(':').at(-1)}` }));
    const env = await resolveSecretEnv({ REVOPS_SECRET_ARNS: ARNS }, new SecretsManagerClient({}));
    expect(env).toMatchObject({ SLACK_BOT_TOKEN: 'value of bot', FIREBOLT_CLIENT_SECRET: 'value of fb' });
  });

  it('refuses a SecretBinary-only secret by name instead of leaving the variable undefined', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'arn:aws:secretsmanager:us-east-1:1:secret:bot' }).resolves({ SecretString: 'xoxb' });
    secrets.on(GetSecretValueCommand, { SecretId: 'arn:aws:secretsmanager:us-east-1:1:secret:fb' }).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    const error = await resolveSecretEnv({ REVOPS_SECRET_ARNS: ARNS }, new SecretsManagerClient({})).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaConfigError);
    expect((error as Error).message).toMatch(/secret FIREBOLT_CLIENT_SECRET \(arn:aws:secretsmanager:us-east-1:1:secret:fb\) holds only a binary value \(SecretBinary\)/u);
  });
});
