/**
 * Shared Slack test pieces: a controllable clock, a logger that keeps its lines, and an in-memory queue that keeps
 * the MessageQueue `send` contract (dedupe by dedupeKey) for in-process end-to-end tests.
 */
import { createLogger, type Logger } from '../../../runtime/logging/logger.ts';
import type { InboundMessage } from '../../../runtime/processing/inbound.ts';


export class ManualClock {
  constructor(public ms: number) {}
  readonly now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
  get seconds(): number {
    return Math.floor(this.ms / 1000);
  }
}

export class MemoryQueue {
  readonly messages: InboundMessage[] = [];
  private readonly keys = new Set<string>();
  /** Set to make `send` fail (e.g. a full disk) or stall. */
  failure?: Error;
  delayMs = 0;

  readonly send = async (message: InboundMessage): Promise<{ messageId: string; duplicate: boolean }> => {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.failure) throw this.failure;
    if (this.keys.has(message.dedupeKey)) return { messageId: message.dedupeKey, duplicate: true };
    this.keys.add(message.dedupeKey);
    this.messages.push(message);
    return { messageId: message.dedupeKey, duplicate: false };
  };
}

export type LoggedLine = { level: string; message: string } & Record<string, unknown>;

/** The runtime's logger, keeping every line it writes (parsed) for assertions instead of printing it. */
export const silentLogger: Logger & { lines: LoggedLine[] } = (() => {
  const lines: LoggedLine[] = [];
  return Object.assign(createLogger({ level: 'debug', sink: (line) => lines.push(JSON.parse(line) as LoggedLine) }), { lines });
})();
