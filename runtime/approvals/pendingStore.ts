/**
 * Where proposed actions wait: durable across restarts, with a compare-and-swap on the status so that two
 * approvers clicking at once, or a click and its retry, move an action out of `pending` exactly once. Locally an
 * fsync'd journal under the data directory (whole records, the last one wins on read back); on AWS one S3 object
 * per action with conditional writes (runtime/lambda/s3Stores.ts), the store the webhook status already uses.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createCompaction } from '../queue/compaction.ts';
import type { RecordCheck } from '../queue/journal.ts';
import { openRecoveredJournal, type OnJournalDamage } from '../queue/recoverJournal.ts';
import type { ActionStatus, PendingAction } from './pendingAction.ts';

export interface PendingStore {
  get(id: string): Promise<PendingAction | undefined>;
  /** Stores a new action; resolves once durable. */
  create(action: PendingAction): Promise<void>;
  /** Replaces the action only if its status is still `expected`; false when another writer got there first. */
  swap(expected: ActionStatus, next: PendingAction): Promise<boolean>;
  close(): Promise<void>;
}

/** A store that can list what waits: one process's own (memory, a local journal), where a sweep is cheap. */
export interface ListedPendingStore extends PendingStore {
  pending(): Promise<PendingAction[]>;
}

export function createMemoryPendingStore(): ListedPendingStore {
  const actions = new Map<string, PendingAction>();
  return {
    get: async (id) => actions.get(id),
    pending: async () => [...actions.values()].filter((a) => a.status === 'pending'),
    create: async (action) => void actions.set(action.id, action),
    async swap(expected, next) {
      if (actions.get(next.id)?.status !== expected) return false;
      actions.set(next.id, next);
      return true;
    },
    close: async () => undefined,
  };
}

/** One process owns the journal (the local server or one CLI run); the in-memory map makes swaps atomic within it. */
/** A pending-store journal record: a whole action. */
export const pendingRecordProblem: RecordCheck = (record) => {
  const { id, status, tool } = (typeof record === 'object' && record !== null ? record : {}) as Partial<PendingAction>;
  return typeof id === 'string' && typeof status === 'string' && typeof tool === 'string' ? undefined : 'pending action: expected {id, tool, status, ...}';
};

export async function createFilePendingStore(path: string, options: { compactAfterBytes?: number; onJournalDamage?: OnJournalDamage } = {}): Promise<ListedPendingStore> {
  await mkdir(dirname(path), { recursive: true });
  const { records, journal } = await openRecoveredJournal<PendingAction>(path, {
    check: pendingRecordProblem, ...(options.onJournalDamage ? { onDamage: options.onJournalDamage } : {}),
  });
  const actions = new Map<string, PendingAction>();
  for (const record of records) actions.set(record.id, record);
  const compactAfterBytes = options.compactAfterBytes ?? 8 * 1024 * 1024;
  const maybeCompact = createCompaction(journal, compactAfterBytes, () => [...actions.values()]);
  const write = async (action: PendingAction): Promise<void> => {
    actions.set(action.id, action);
    await journal.append(action);
    await maybeCompact();
  };
  return {
    get: async (id) => actions.get(id),
    pending: async () => [...actions.values()].filter((a) => a.status === 'pending'),
    create: write,
    async swap(expected, next) {
      if (actions.get(next.id)?.status !== expected) return false;
      await write(next);
      return true;
    },
    close: () => journal.close(),
  };
}
