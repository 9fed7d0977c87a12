/**
 * Shared test pieces: a Slack channel spec as the compiler emits it, a controllable clock, and an in-memory queue
 * that keeps the MessageQueue `send` contract (dedupe by dedupeKey) for in-process end-to-end tests.
 */
import type { ManifestSlackChannel } from '../../../compiler/manifest.ts';
import { createLogger, type Logger } from '../../../runtime/logging/logger.ts';
import type { InboundMessage } from '../../../runtime/processing/inbound.ts';

export const slackChannel = (progress = { minIntervalMs: 1_000, maxUpdates: 5 }): ManifestSlackChannel => ({
  kind: 'slack',
  name: 'slack',
  entry: 'manager',
  botName: 'RevBot',
  acknowledgement: "👋 Hey there! I'm diving into this — give me a moment.",
  progress,
  ingress: { memoryMb: 256, timeoutSeconds: 10 },
  processor: { memoryMb: 512, timeoutSeconds: 120 },
  queue: { visibilityTimeoutSeconds: 720, retentionSeconds: 1_209_600, maxReceives: 3 },
  logRetentionDays: 30,
  approval: { approvers: { kind: 'asker' }, expiresAfterSeconds: 3600 },
  source: 'specs/channels/slack.yaml',
});

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
