/**
 * The record of every performed or refused action (issue 13): who asked, who decided, when, the record, old and
 * new values or the message sent, and the outcome. Appended once per action (keyed by its id, so a replayed
 * decision cannot record it twice) and listed newest first by `revops audit`. Locally a journal under the data
 * directory; on AWS one S3 object per record (runtime/lambda/s3Stores.ts).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RecordCheck } from '../queue/journal.ts';
import { openRecoveredJournal, type OnJournalDamage } from '../queue/recoverJournal.ts';
import type { ActionOutcome, ActionStatus, Preview } from './pendingAction.ts';

export interface AuditRecord {
  action_id: string;
  tool: string;
  status: Extract<ActionStatus, 'done' | 'failed' | 'rejected' | 'expired'>;
  asked_by: string;
  asked_at: string;
  question: string;
  channel: string;
  decided_by: string | null;
  decided_at: string | null;
  preview: Preview;
  outcome: ActionOutcome | null;
  correlation_id: string;
}

export interface AuditLog {
  /** Records once per action id; a second append of the same id is ignored. */
  append(record: AuditRecord): Promise<void>;
  /** Newest first. */
  list(last: number): Promise<AuditRecord[]>;
  close(): Promise<void>;
}

export function createMemoryAuditLog(): AuditLog {
  const records: AuditRecord[] = [];
  return {
    async append(record) {
      if (!records.some((r) => r.action_id === record.action_id)) records.push(record);
    },
    list: async (last) => records.slice(-last).reverse(),
    close: async () => undefined,
  };
}

/** An audit journal record. */
export const auditRecordProblem: RecordCheck = (record) => {
  const { action_id, status } = (typeof record === 'object' && record !== null ? record : {}) as Partial<AuditRecord>;
  return typeof action_id === 'string' && typeof status === 'string' ? undefined : 'audit record: expected {action_id, status, ...}';
};

export async function createFileAuditLog(path: string, options: { onJournalDamage?: OnJournalDamage } = {}): Promise<AuditLog> {
  await mkdir(dirname(path), { recursive: true });
  const { records, journal } = await openRecoveredJournal<AuditRecord>(path, {
    check: auditRecordProblem, ...(options.onJournalDamage ? { onDamage: options.onJournalDamage } : {}),
  });
  const ids = new Set(records.map((r) => r.action_id));
  return {
    async append(record) {
      if (ids.has(record.action_id)) return;
      ids.add(record.action_id);
      records.push(record);
      await journal.append(record);
    },
    list: async (last) => records.slice(-last).reverse(),
    close: () => journal.close(),
  };
}
