/**
 * Which conversation store a process uses, from its environment: DynamoDB when REVOPS_SESSION_TABLE names a table
 * (on AWS, set by the Pulumi program), else files in the data directory. The TTL is REVOPS_SESSION_TTL_SECONDS or
 * the longest idle session TTL of the manifest's supervisors (the agents' `idle_session_ttl_seconds`).
 */
import { join } from 'node:path';
import type { Manifest } from '../../compiler/manifest.ts';
import { ConfigError } from '../config.ts';
import { createDynamoSessionBackend } from './dynamoBackend.ts';
import { createFileSessionBackend } from './fileBackend.ts';
import { configuredSecrets, redaction } from '../redact.ts';
import { createSessionStore, type SessionStore } from './sessionStore.ts';

export function sessionTtlSeconds(manifest: Manifest, env: Record<string, string | undefined>): number {
  const raw = env.REVOPS_SESSION_TTL_SECONDS?.trim();
  if (raw) {
    const seconds = Number(raw);
    if (!Number.isInteger(seconds) || seconds < 60 || seconds > 31_536_000) {
      throw new ConfigError('REVOPS_SESSION_TTL_SECONDS', `expected a whole number of seconds from 60 to 31536000, got '${raw}'`);
    }
    return seconds;
  }
  const supervisors = manifest.agents.filter((a) => a.role === 'supervisor').map((a) => a.idleSessionTtlSeconds);
  return Math.max(manifest.defaults.idleSessionTtlSeconds, ...supervisors);
}

export async function openSessionStore(manifest: Manifest, env: Record<string, string | undefined>, dataDir: string,
  now?: () => Date): Promise<SessionStore> {
  const ttlSeconds = sessionTtlSeconds(manifest, env);
  const table = env.REVOPS_SESSION_TABLE?.trim();
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  const backend = table
    ? createDynamoSessionBackend({ table, ...(region ? { region } : {}), ...(now ? { now } : {}) })
    : await createFileSessionBackend(join(dataDir, 'sessions'), { ttlSeconds, ...(now ? { now } : {}) });
  return createSessionStore(backend, { ttlSeconds, redaction: redaction(configuredSecrets(env)), ...(now ? { now } : {}) });
}
