/**
 * Runtime configuration: every environment variable the server, the queue, the channels and the Lambda adapters
 * read, parsed and validated in one place. Bad values fail at start with an error naming the variable, never later
 * in a request. Nothing else in `runtime/` reads `process.env` for these settings.
 */
import { ENGINE_NAMES, type EngineName } from '../compiler/engines.ts';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CodedError } from '../compiler/codedError.ts';

export interface RuntimeConfig {
  /** Project root (specs/, build/); the CLI passes its cwd. */
  root: string;
  port: number;
  /** Address the local server binds to; loopback unless HOST says otherwise (e.g. 0.0.0.0 in a container). */
  host: string;
  engine: EngineName;
  /** Local state: queue journals, webhook status, conversations, sample warehouse. */
  dataDir: string;
  /** Messages processed at once by the local consumer. */
  concurrency: number;
  /** Overrides the channel specs' visibility timeout locally (tests scale it down); SQS uses the queue's own. */
  visibilityTimeoutSeconds?: number;
  /**
   * REVOPS_CHANNEL: the one channel of the manifest this process serves (infra sets it on every function); without
   * it, every channel the manifest declares (the local server).
   */
  channel?: string;
  slack: { signingSecret?: string; botToken?: string; apiUrl?: string };
  webhook: { apiKeys: string[]; signingSecret?: string; url?: string };
  /** `local` (journal under dataDir) or `sqs` (REVOPS_QUEUE_URL_<CHANNEL> per channel). */
  /** `urls`: by variable name (REVOPS_QUEUE_URL_<CHANNEL>, compiler/manifest.ts queueUrlVariable; `_DLQ` appended for a dead-letter queue). */
  /**
   * `maxReceives`: REVOPS_QUEUE_MAX_RECEIVES, the redrive policy's maxReceiveCount of the queue this function
   * consumes (infra sets it from the same value); without it, the channel spec's `queue.max_receives`.
   */
  queue: { backend: 'local' | 'sqs'; urls: Record<string, string>; maxReceives?: number };
  /** Conversation exports: local folder under dataDir, or S3 when REVOPS_EXPORT_BUCKET is set. */
  exports: { bucket?: string; prefix: string };
  awsRegion?: string;
  logLevel: LogLevel;
  /** The whole environment, for layers that take credentials by name (tools, warehouse, engines). */
  env: Record<string, string | undefined>;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export class ConfigError extends CodedError<'config_invalid'> {
  override readonly name = 'ConfigError';
  constructor(readonly variable: string, message: string) {
    super('config_invalid', `${variable}: ${message}`);
  }
}

/**
 * A data dir that exists as something other than a folder fails every write under it later, with a bare EEXIST or
 * ENOTDIR from deep inside; said up front, it names the setting. One that does not exist yet is made on first use.
 */
export function checkDataDir(dir: string, setting: string): string {
  const fix = 'point it at a folder (one that does not exist yet is created)';
  let info;
  try {
    info = statSync(dir, { throwIfNoEntry: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') throw new ConfigError(setting, `a part of '${dir}' is a file, not a folder; ${fix}`);
    throw error;
  }
  if (info && !info.isDirectory()) throw new ConfigError(setting, `'${dir}' is a file, not a folder; ${fix}`);
  return dir;
}

/** The data dir a command uses (REVOPS_DATA_DIR, else `.revops`), absolute and checked. */
export const dataDirOf = (env: Record<string, string | undefined>, cwd: string): string =>
  checkDataDir(resolve(cwd, env.REVOPS_DATA_DIR?.trim() || '.revops'), 'REVOPS_DATA_DIR');

const levels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export function loadConfig(env: Record<string, string | undefined>, root: string): RuntimeConfig {
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigError(name, `expected a whole number from ${min} to ${max}, got '${raw}'`);
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = text(name) ?? fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got '${raw}'`);
    }
    return raw as T;
  };
  const url = (name: string): string | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    let parsed: URL;
    try {
      parsed = new URL(raw);
    } catch {
      throw new ConfigError(name, `expected an absolute http(s) URL, got '${raw}'`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError(name, `expected an http(s) URL, got protocol '${parsed.protocol}'`);
    }
    return raw;
  };

  const queueUrls: Record<string, string> = {};
  for (const [name] of Object.entries(env)) {
    const match = /^REVOPS_QUEUE_URL_([A-Z0-9_]+)$/.exec(name);
    const value = match && url(name);
    if (match && value) queueUrls[name] = value;
  }
  const dataDir = text('REVOPS_DATA_DIR') ?? '.revops';
  dataDirOf(env, root);
  const visibility = text('REVOPS_VISIBILITY_TIMEOUT_SECONDS');
  const apiKeys = (text('WEBHOOK_API_KEYS') ?? '').split(',').map((k) => k.trim()).filter(Boolean);
  if (apiKeys.some((k) => k.length < 16)) {
    throw new ConfigError('WEBHOOK_API_KEYS', 'every key must be at least 16 characters (comma separated)');
  }
  const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
    (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

  return {
    root,
    port: int('PORT', 3000, 0, 65535),
    host: text('HOST') ?? '127.0.0.1',
    engine: oneOf('REVOPS_ENGINE', ENGINE_NAMES, 'offline'),
    dataDir,
    concurrency: int('REVOPS_CONCURRENCY', 4, 1, 256),
    ...(visibility !== undefined ? { visibilityTimeoutSeconds: int('REVOPS_VISIBILITY_TIMEOUT_SECONDS', 0, 1, 43_200) } : {}),
    ...optional('channel', text('REVOPS_CHANNEL')),
    slack: {
      ...optional('signingSecret', text('SLACK_SIGNING_SECRET')),
      ...optional('botToken', text('SLACK_BOT_TOKEN')),
      ...optional('apiUrl', url('SLACK_API_URL')),
    },
    webhook: {
      apiKeys,
      ...optional('signingSecret', text('WEBHOOK_SIGNING_SECRET')),
      ...optional('url', url('WEBHOOK_URL')),
    },
    queue: {
      backend: oneOf('REVOPS_QUEUE', ['local', 'sqs'] as const, 'local'), urls: queueUrls,
      ...(text('REVOPS_QUEUE_MAX_RECEIVES') !== undefined ? { maxReceives: int('REVOPS_QUEUE_MAX_RECEIVES', 3, 1, 1000) } : {}),
    },
    exports: {
      ...optional('bucket', text('REVOPS_EXPORT_BUCKET')),
      prefix: text('REVOPS_EXPORT_PREFIX') ?? 'conversation-history',
    },
    ...optional('awsRegion', text('AWS_REGION')),
    logLevel: oneOf('REVOPS_LOG_LEVEL', levels, 'info'),
    env,
  };
}
