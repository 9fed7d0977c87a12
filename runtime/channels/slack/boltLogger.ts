/**
 * Bolt's own `Logger` interface over the runtime's one logger (runtime/logging/logger.ts), so Bolt's messages land
 * in the same JSON stream, at the level REVOPS_LOG_LEVEL keeps, marked `source: "bolt"`.
 */
import { LogLevel, type Logger as BoltLogger } from '@slack/logger';
import type { Logger } from '../../logging/logger.ts';

const text = (parts: unknown[]): string =>
  parts.map((p) => (p instanceof Error ? `${p.name}: ${p.message}` : typeof p === 'string' ? p : JSON.stringify(p))).join(' ');

/** Bolt's level setting is ignored: the runtime's logger decides what it keeps. */
export function boltLogger(logger: Logger): BoltLogger {
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
