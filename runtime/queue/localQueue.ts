/**
 * The embedded queue (`npm start`, tests): SQS semantics over an append-only journal in
 * `<dataDir>/queue/<channel>/journal.jsonl`. `send` resolves only after the message is fsynced (group commit shares
 * one fsync between concurrent sends), so a 200 or a Slack ack is never given for a message a `kill -9` could lose.
 * Opening the queue takes the folder's lock (queueLock.ts) and replays the journal's intact records, damaged ones
 * quarantined and reported to `onJournalDamage` (recoverJournal.ts); it is compacted when it outgrows
 * `compactAfterBytes`, which also leaves the damaged records behind.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes, randomUUID } from 'node:crypto';
import type { InboundMessage } from './inboundMessage.ts';
import type { Fsync } from './journal.ts';
import { journalRecordProblem } from './journalRecordCheck.ts';
import { createCompaction } from './compaction.ts';
import { acquireQueueLock } from './queueLock.ts';
import { openRecoveredJournal, type OnJournalDamage } from './recoverJournal.ts';
import {
  acceptUnderKey, handOverKey, keySentAt, liveEntry, replay, snapshot, type DeadEntry, type JournalRecord, type LiveEntry,
} from './replay.ts';
import {
  QueueError, type DeadLetter, type MessageQueue, type QueueStats, type ReceiveOptions, type ReceivedMessage,
} from './queue.ts';

export interface LocalQueueOptions {
  /** Folder of this queue, e.g. `<dataDir>/queue/webhook`. */
  dir: string;
  visibilityTimeoutMs: number;
  /** Receives before the dead-letter queue (channel spec `queue.max_receives`, 3 by default). */
  maxReceives: number;
  retentionMs: number;
  now?: () => number;
  fsync?: Fsync;
  /** Rewrite the journal once it is larger than this (default 8 MiB). */
  compactAfterBytes?: number;
  /** Told about every message moved to the dead-letter queue (e.g. to mark a webhook request failed). */
  onDeadLetter?: (dead: DeadLetter) => void;
  /** Told about damaged journal records found on opening (already quarantined; the intact ones are replayed). */
  onJournalDamage?: OnJournalDamage;
}

const EXPIRY_SWEEP_MS = 1_000;

export async function createLocalQueue(options: LocalQueueOptions): Promise<MessageQueue> {
  const now = options.now ?? Date.now;
  const compactAfterBytes = options.compactAfterBytes ?? 8 * 1024 * 1024;
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, 'journal.jsonl');
  const lock = await acquireQueueLock(options.dir);
  const { records, journal } = await openRecoveredJournal<JournalRecord>(path, {
    check: journalRecordProblem,
    ...(options.onJournalDamage ? { onDamage: options.onJournalDamage } : {}),
    ...(options.fsync ? { fsync: options.fsync } : {}),
  }).catch(async (error: unknown) => {
    await lock.release();
    throw error;
  });
  const state = replay(records, now());
  /** The entries received and not yet settled, by their current receipt. */
  const receipts = new Map<string, LiveEntry>();
  const nextId = messageIds();
  const waiters = new Set<() => void>();
  let closed = false;

  const write = (record: JournalRecord): Promise<void> => journal.append(record);
  const wake = (): void => {
    for (const w of waiters) w();
    waiters.clear();
  };
  const ensureOpen = (): void => {
    if (closed) throw new QueueError('queue_closed', `queue ${options.dir} is closed; open it again to continue`);
  };

  let nextExpiryAt = 0;
  const expire = (at: number): void => {
    // SQS drops messages (and forgets dedupe keys) once they outlive the retention period. Retention is days, so a
    // sweep at most once a second is exact enough, and receives stay independent of the backlog. Live messages and
    // keys are kept in send order (replay and compaction preserve it), so their sweep stops at the first one still
    // within retention; dead letters are few and swept whole.
    if (at < nextExpiryAt) return;
    nextExpiryAt = at + EXPIRY_SWEEP_MS;
    for (const e of state.live) {
      if (e.sentAt + options.retentionMs > at) break;
      leave(e);
    }
    for (const [key, holder] of state.keys) {
      if (keySentAt(holder) + options.retentionMs > at) break;
      state.keys.delete(key);
    }
    for (const [id, e] of state.dead) if (e.sentAt + options.retentionMs <= at) state.dead.delete(id);
  };

  const maybeCompact = createCompaction(journal, compactAfterBytes, () => {
    nextExpiryAt = 0;
    expire(now());
    return snapshot(state);
  });

  /** The entry is out of `live`, and its receipt no longer valid. */
  const leave = (entry: LiveEntry): void => {
    state.live.remove(entry);
    if (entry.receipt !== undefined) receipts.delete(entry.receipt);
  };

  const moveToDeadLetters = async (entry: LiveEntry, at: number): Promise<void> => {
    leave(entry);
    const dead: DeadEntry = {
      id: entry.id, message: entry.message, sentAt: entry.sentAt, receiveCount: entry.receiveCount, deadAt: at,
      ...(entry.lastError !== undefined ? { lastError: entry.lastError } : {}),
    };
    state.dead.set(entry.id, dead);
    handOverKey(state, entry, dead);
    await write({ op: 'dead', id: entry.id, at, ...(entry.lastError !== undefined ? { error: entry.lastError } : {}) });
    options.onDeadLetter?.(toDeadLetter(dead));
  };

  const takeVisible = async (max: number): Promise<ReceivedMessage[]> => {
    const at = now();
    expire(at);
    const taken: ReceivedMessage[] = [];
    const writes: Array<Promise<void>> = [];
    for (const entry of state.live) {
      if (taken.length >= max) break;
      if (entry.visibleAt > at) continue;
      if (entry.receiveCount >= options.maxReceives) {
        writes.push(moveToDeadLetters(entry, at));
        continue;
      }
      entry.receiveCount += 1;
      entry.visibleAt = at + options.visibilityTimeoutMs;
      if (entry.receipt !== undefined) receipts.delete(entry.receipt);
      entry.receipt = `${entry.id}:${entry.receiveCount}:${randomUUID()}`;
      receipts.set(entry.receipt, entry);
      writes.push(write({ op: 'receive', id: entry.id, count: entry.receiveCount, until: entry.visibleAt }));
      taken.push({
        messageId: entry.id, receiptHandle: entry.receipt, message: entry.message, receiveCount: entry.receiveCount,
        ...(entry.lastError !== undefined ? { lastError: entry.lastError } : {}),
      });
    }
    await Promise.all(writes);
    return taken;
  };

  const nextVisibleIn = (): number => {
    let soonest = Infinity;
    for (const e of state.live) soonest = Math.min(soonest, e.visibleAt);
    return Math.max(0, soonest - now());
  };

  const waitForWork = (waitMs: number, signal?: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        waiters.delete(done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(waitMs, nextVisibleIn()));
      waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });

  const byReceipt = (receiptHandle: string): LiveEntry => {
    const entry = receipts.get(receiptHandle);
    if (!entry) {
      throw new QueueError('unknown_receipt',
        `receipt ${receiptHandle} is no longer valid (the message was acked, or its visibility timeout expired and it was received again)`);
    }
    return entry;
  };

  return {
    async send(message: InboundMessage) {
      ensureOpen();
      const at = now();
      const known = state.keys.get(message.dedupeKey);
      if (known !== undefined && keySentAt(known) + options.retentionMs > at) {
        return { messageId: typeof known === 'number' ? message.id : known.id, duplicate: true, duplicateKnown: true };
      }
      const id = nextId();
      const entry = liveEntry(id, message, at);
      const dropped = acceptUnderKey(state, entry, known);
      if (dropped?.receipt !== undefined) receipts.delete(dropped.receipt);
      await write({ op: 'send', id, at, message });
      wake();
      return { messageId: id, duplicate: false, duplicateKnown: true };
    },
    async receive({ max, waitMs = 0, signal }: ReceiveOptions) {
      ensureOpen();
      const deadline = now() + waitMs;
      for (;;) {
        const taken = await takeVisible(max);
        if (taken.length > 0 || now() >= deadline || signal?.aborted || closed) return taken;
        await waitForWork(deadline - now(), signal);
      }
    },
    async ack(receiptHandle) {
      ensureOpen();
      const entry = byReceipt(receiptHandle);
      leave(entry);
      handOverKey(state, entry, entry.sentAt);
      await write({ op: 'ack', id: entry.id });
      await maybeCompact();
    },
    async release(receiptHandle, failure) {
      ensureOpen();
      const entry = byReceipt(receiptHandle);
      entry.lastError = failure.error;
      entry.visibleAt = now() + (failure.delayMs ?? 0);
      receipts.delete(receiptHandle);
      delete entry.receipt;
      await write({ op: 'release', id: entry.id, error: failure.error, visibleAt: entry.visibleAt });
      // The last allowed receive failed: dead-lettered now, with this error, as the SQS queue does.
      if (entry.receiveCount >= options.maxReceives) await moveToDeadLetters(entry, now());
      wake();
    },
    async deadLetters() {
      return [...state.dead.values()].map(toDeadLetter);
    },
    heldMessage(dedupeKey) {
      const holder = state.keys.get(dedupeKey);
      return typeof holder === 'object' ? holder.message : undefined;
    },
    async stats(): Promise<QueueStats> {
      const at = now();
      let visible = 0;
      for (const e of state.live) if (e.visibleAt <= at) visible += 1;
      return { visible, inFlight: state.live.size - visible, deadLettered: state.dead.size };
    },
    async close() {
      closed = true;
      wake();
      await journal.close();
      await lock.release();
    },
  };
}

/**
 * Message ids unique to this queue: a random prefix per opening (72 bits) and a counter. A UUID per message was a
 * measurable part of the webhook accept path (issue 16); ids from earlier openings keep whatever form they had.
 */
function messageIds(): () => string {
  const prefix = randomBytes(9).toString('base64url');
  let sent = 0;
  return () => `${prefix}-${(sent++).toString(36)}`;
}

const toDeadLetter = (e: DeadEntry): DeadLetter => ({
  messageId: e.id, message: e.message, receiveCount: e.receiveCount, deadLetteredAt: new Date(e.deadAt).toISOString(),
  ...(e.lastError !== undefined ? { lastError: e.lastError } : {}),
});
