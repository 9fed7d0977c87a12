/**
 * The dedupe keys of messages already answered. Processing is at least once (a crash after delivery but before the
 * queue ack redelivers the message); the processor consults this set first, so the answer still reaches the user
 * exactly once. Locally a group-committed journal; keys are forgotten after the queue's retention period, when the
 * queue itself can no longer redeliver them.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordCheck } from '../queue/journal.ts';
import { openRecoveredJournal, type OnJournalDamage } from '../queue/recoverJournal.ts';

export interface DoneSet {
  has(key: string): Promise<boolean>;
  /** Resolves once the key is durable. */
  add(key: string): Promise<void>;
  close(): Promise<void>;
}

export function createMemoryDoneSet(): DoneSet {
  const keys = new Set<string>();
  return {
    has: async (key) => keys.has(key),
    add: async (key) => void keys.add(key),
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
  return {
    has: async (key) => keys.has(key),
    async add(key) {
      const at = now();
      keys.set(key, at);
      await journal.append({ key, at });
      if (journal.bytes > compactAfterBytes) {
        const keep = now() - options.retentionMs;
        for (const [k, t] of keys) if (t <= keep) keys.delete(k);
        await journal.rewrite([...keys].map(([k, t]) => ({ key: k, at: t })));
      }
    },
    close: () => journal.close(),
  };
}
