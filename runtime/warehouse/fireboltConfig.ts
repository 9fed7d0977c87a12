/**
 * Firebolt connection settings: a service account (client id + secret), the account, database and engine names,
 * and optionally a non-default API endpoint. Read from the environment, or from a Secrets Manager JSON secret
 * (same keys) when FIREBOLT_SECRET_ARN is set, as on AWS. Nothing here is logged.
 */
import type { SecretsManagerClient } from '../aws/secretsManager.ts';
import { WarehouseError } from './warehouse.ts';

export interface FireboltConfig {
  clientId: string;
  clientSecret: string;
  account: string;
  database: string;
  engine: string;
  /** e.g. `api.app.firebolt.io` (the SDK's default when unset); tests point it at a loopback stand-in. */
  apiEndpoint?: string;
}

const required = {
  clientId: 'FIREBOLT_CLIENT_ID',
  clientSecret: 'FIREBOLT_CLIENT_SECRET',
  account: 'FIREBOLT_ACCOUNT',
  database: 'FIREBOLT_DATABASE',
  engine: 'FIREBOLT_ENGINE',
} as const;

/** Builds the config from key/value settings (environment or secret), naming every missing key at once. */
export function fireboltConfigFrom(values: Record<string, unknown>, source: string): FireboltConfig {
  const read = (key: string): string | undefined => {
    const value = values[key];
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const missing = Object.values(required).filter((key) => !read(key));
  if (missing.length) {
    throw new WarehouseError('connection', `Firebolt is selected but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} ` +
      `not set in ${source}; set ${missing.length > 1 ? 'them' : 'it'} or unset REVOPS_WAREHOUSE to use the embedded DuckDB warehouse`);
  }
  const config = Object.fromEntries(Object.entries(required).map(([field, key]) => [field, read(key)!])) as Omit<FireboltConfig, 'apiEndpoint'>;
  const apiEndpoint = read('FIREBOLT_API_ENDPOINT');
  return apiEndpoint ? { ...config, apiEndpoint } : config;
}

export async function loadFireboltConfig(
  env: Record<string, string | undefined>,
  secrets?: Pick<SecretsManagerClient, 'send'>,
): Promise<FireboltConfig> {
  const arn = env.FIREBOLT_SECRET_ARN?.trim();
  if (!arn) return fireboltConfigFrom(env, 'the environment');
  const { GetSecretValueCommand, SecretsManagerClient } = await import('../aws/secretsManager.ts');
  let text: string | undefined;
  try {
    text = (await (secrets ?? new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;
  } catch (cause) {
    throw new WarehouseError('connection', `cannot read the Firebolt secret FIREBOLT_SECRET_ARN (${(cause as Error).name}); ` +
      'check the ARN and that this role may call secretsmanager:GetSecretValue on it', { cause });
  }
  let secret: unknown;
  try {
    secret = JSON.parse(text ?? '');
  } catch {
    secret = undefined;
  }
  if (!secret || typeof secret !== 'object' || Array.isArray(secret)) {
    throw new WarehouseError('connection', 'the Firebolt secret must be a JSON object with FIREBOLT_CLIENT_ID, ' +
      'FIREBOLT_CLIENT_SECRET, FIREBOLT_ACCOUNT, FIREBOLT_DATABASE and FIREBOLT_ENGINE');
  }
  // The secret wins over the environment; the environment may still supply what the secret leaves out.
  return fireboltConfigFrom({ ...env, ...(secret as Record<string, unknown>) }, 'the environment or the Firebolt secret');
}
