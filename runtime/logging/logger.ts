/**
 * A small JSON logger: one line per event with time, level, message and the fields bound by `child` (the
 * correlation id above all), so CloudWatch Logs Insights and `jq` can follow one question through every layer.
 * Hand-written rather than `@aws-lambda-powertools/logger` because the same logger runs in the local server, the
 * CLI and the Lambda adapters, and tests capture its lines through an injected sink.
 */
import type { LogLevel } from '../config.ts';
import { REDACTED } from '../redact.ts';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger that adds these fields to every line (e.g. `{ correlation_id }`). */
  child(fields: LogFields): Logger;
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(options: {
  level?: LogLevel; sink?: (line: string) => void; fields?: LogFields;
  /** Exact values never written (redact.ts `configuredSecrets`): an error's message may quote what a caller sent. */
  secrets?: readonly string[];
} = {}): Logger {
  const min = rank[options.level ?? 'info'];
  const sink = options.sink ?? ((line: string) => process.stdout.write(`${line}\n`));
  const bound = options.fields ?? {};
  // As they appear inside a JSON line.
  const hidden = (options.secrets ?? []).map((secret) => JSON.stringify(secret).slice(1, -1));
  const emit = (level: LogLevel, message: string, fields?: LogFields): void => {
    if (rank[level] < min) return;
    let line = JSON.stringify({ time: new Date().toISOString(), level, message, ...bound, ...serialiseErrors(fields) });
    for (const secret of hidden) if (line.includes(secret)) line = line.replaceAll(secret, REDACTED);
    sink(line);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...options, fields: { ...bound, ...fields } }),
  };
}

/** A logger that drops everything without formatting it (tests and benches that do not look at logs). */
export const silentLogger = (): Logger => {
  const drop = (): void => undefined;
  const logger: Logger = { debug: drop, info: drop, warn: drop, error: drop, child: () => logger };
  return logger;
};

function serialiseErrors(fields: LogFields | undefined): LogFields {
  if (!fields) return {};
  const out: LogFields = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = value instanceof Error
      ? { name: value.name, message: value.message, ...('code' in value ? { code: value.code } : {}) }
      : value;
  }
  return out;
}
