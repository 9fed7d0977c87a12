/**
 * The logging seam of the Slack channel: a structural type any JSON logger fits (message + fields, the
 * correlation id among the fields), a JSON-lines default, and the adapter Bolt's own `Logger` interface needs so
 * Bolt's messages land in the same stream.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/logger';

export type LogFields = Record<string, unknown>;

export interface SlackLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const line = (level: string, message: string, fields?: LogFields): string =>
  `${JSON.stringify({ level, time: new Date().toISOString(), component: 'slack', message, ...fields })}\n`;

/** JSON lines; debug is dropped unless LOG_LEVEL=debug (Bolt logs request bodies at debug). */
export const jsonLogger: SlackLogger = {
  debug: (m, f) => {
    if (process.env.LOG_LEVEL === 'debug') process.stdout.write(line('debug', m, f));
  },
  info: (m, f) => process.stdout.write(line('info', m, f)),
  warn: (m, f) => process.stderr.write(line('warn', m, f)),
  error: (m, f) => process.stderr.write(line('error', m, f)),
};

const text = (parts: unknown[]): string =>
  parts.map((p) => (p instanceof Error ? `${p.name}: ${p.message}` : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');

/** Bolt's Logger over ours; Bolt's level setting is ignored (our logger decides what it keeps). */
export function boltLogger(logger: SlackLogger): BoltLogger {
  return {
    debug: (...parts: unknown[]) => logger.debug(text(parts), { source: 'bolt' }),
    info: (...parts: unknown[]) => logger.info(text(parts), { source: 'bolt' }),
    warn: (...parts: unknown[]) => logger.warn(text(parts), { source: 'bolt' }),
    error: (...parts: unknown[]) => logger.error(text(parts), { source: 'bolt' }),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
