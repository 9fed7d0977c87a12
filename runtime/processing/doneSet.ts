/**
 * The dedupe keys of messages already answered. Processing is at least once (a crash after delivery but before the
 * queue ack redelivers the message, and SQS may deliver one message twice at once), so the processor claims the key
 * before it processes: of two deliveries racing for one key exactly one gets the claim, and a claim completed stays
 * answered. Locally a group-committed journal of answered keys (claims live in memory: the queue folder's lock lets
 * one process consume); keys are forgotten after the queue's retention period, when the queue itself can no longer
 * redeliver them.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createCompaction } from '../queue/compaction.ts';
import type { RecordCheck } from '../queue/journal.ts';
import { openRecoveredJournal, type OnJournalDamage } from '../queue/recoverJournal.ts';

/** A claim held by this delivery: `complete` once the answer is delivered, `release` when it failed (a retry may claim). */
export interface HeldClaim {
  status: 'claimed';
  complete(): Promise<void>;
  release(): Promise<void>;
}

/** `answered`: a delivery completed this key already; `busy`: another delivery holds a live claim on it now. */
export type Claim = HeldClaim | { status: 'answered' } | { status: 'busy' };

export interface DoneSet {
  has(key: string): Promise<boolean>;
  /** Atomic: two concurrent claims of one key never both get `claimed`. */
  claim(key: string): Promise<Claim>;
  close(): Promise<void>;
}

/** Claims in this process over `answered` keys kept by `markAnswered` (memory or journal). */
function claimsOver(answered: { has(key: string): boolean }, markAnswered: (key: string) => Promise<void>): DoneSet['claim'] {
  const claimed = new Set<string>();
  return async (key) => {
    if (answered.has(key)) return { status: 'answered' };
    if (claimed.has(key)) return { status: 'busy' };
    claimed.add(key);
    return {
      status: 'claimed',
      complete: async () => {
        try {
          await markAnswered(key);
        } finally {
          claimed.delete(key);
        }
      },
      release: async () => void claimed.delete(key),
    };
  };
}

export function createMemoryDoneSet(): DoneSet {
  const keys = new Set<string>();
  return {
    has: async (key) => keys.has(key),
    claim: claimsOver(keys, async (key) => void keys.add(key)),
    close: async () => undefined,
  };
}

/** A done-set journal record: `{key, at}`. */
export const doneRecordProblem: RecordCheck = (record) => {
  const { key, at } = (typeof record === 'object' && record !== null ? record : {}) as { key?: unknown; at?: unknown };
  return typeof key === 'string' && typeof at === 'number' ? undefined : 'done record: expected {key: string, at: number}';
};

export async function createFileDoneSet(
  path: string, options: { retentionMs: number; now?: () => number; compactAfterBytes?: number; onJournalDamage?: OnJournalDamage },
): Promise<DoneSet> {
  const now = options.now ?? Date.now;
  await mkdir(dirname(path), { recursive: true });
  const { records, journal } = await openRecoveredJournal<{ key: string; at: number }>(path, {
    check: doneRecordProblem, ...(options.onJournalDamage ? { onDamage: options.onJournalDamage } : {}),
  });
  const keys = new Map<string, number>();
  const cutoff = now() - options.retentionMs;
  for (const { key, at } of records) if (at > cutoff) keys.set(key, at);
  const compactAfterBytes = options.compactAfterBytes ?? 4 * 1024 * 1024;
  const maybeCompact = createCompaction(journal, compactAfterBytes, () => {
    const keep = now() - options.retentionMs;
    for (const [k, t] of keys) if (t <= keep) keys.delete(k);
    return [...keys].map(([k, t]) => ({ key: k, at: t }));
  });
  const markAnswered = async (key: string): Promise<void> => {
    const at = now();
    keys.set(key, at);
    await journal.append({ key, at });
    await maybeCompact();
  };
  return {
    has: async (key) => keys.has(key),
    claim: claimsOver(keys, markAnswered),
    close: () => journal.close(),
  };
}
