/**
 * The Secrets Manager operation the runtime sends, re-exported by name so that loading it on first use (`import()`)
 * keeps just this command in a bundle instead of the whole service (see s3.ts).
 */
export { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
