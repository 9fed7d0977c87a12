/**
 * Where `GET /webhook/{tracking_id}` looks: the life of each webhook request (queued, processing, done, failed),
 * its answer, and whether the answer was delivered. Locally an append-only journal under the data dir (records are
 * patches, merged on read back); delivered requests are recorded durably before the queue message is acked, which
 * is what keeps a redelivered message from being delivered again once its success is on record (at least once:
 * webhookDelivery.ts).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openRecoveredJournal, type OnJournalDamage } from '../../queue/recoverJournal.ts';
import { statusRecordProblem } from './statusRecordCheck.ts';

export type WebhookStatus = 'queued' | 'processing' | 'done' | 'failed';

export interface StatusRecord {
  tracking_id: string;
  status: WebhookStatus;
  queued_at: string;
  updated_at: string;
  source_system?: string;
  /** The answer (done) or the apology (failed). */
  response?: string;
  error?: { code: string; message: string };
  /** Set once a delivery to the receiver succeeded; never delivered again after. */
  delivered_at?: string;
  /** Delivery attempts started, across retries and restarts; written before each attempt is sent. */
  delivery_attempts?: number;
  /** The last failed delivery attempt while retries continue. */
  last_delivery_error?: string;
}

export type StatusPatch = Partial<StatusRecord> & { updated_at: string };

export interface StatusStore {
  get(trackingId: string): Promise<StatusRecord | undefined>;
  /** Resolves once the patch is on disk. */
  update(trackingId: string, patch: StatusPatch): Promise<void>;
  close(): Promise<void>;
}

export function createMemoryStatusStore(): StatusStore {
  const records = new Map<string, StatusRecord>();
  return {
    async get(id) {
      return records.get(id);
    },
    async update(id, patch) {
      records.set(id, mergeStatusPatch(records.get(id), id, patch));
    },
    async close() {},
  };
}

export async function createFileStatusStore(
  path: string, options: { compactAfterBytes?: number; onJournalDamage?: OnJournalDamage } = {},
): Promise<StatusStore> {
  await mkdir(dirname(path), { recursive: true });
  const { records: recovered, journal } = await openRecoveredJournal<{ id: string; patch: StatusPatch }>(path, {
    check: statusRecordProblem, ...(options.onJournalDamage ? { onDamage: options.onJournalDamage } : {}),
  });
  const records = new Map<string, StatusRecord>();
  for (const { id, patch } of recovered) records.set(id, mergeStatusPatch(records.get(id), id, patch));
  const compactAfterBytes = options.compactAfterBytes ?? 16 * 1024 * 1024;
  return {
    async get(id) {
      return records.get(id);
    },
    async update(id, patch) {
      records.set(id, mergeStatusPatch(records.get(id), id, patch));
      await journal.append({ id, patch });
      if (journal.bytes > compactAfterBytes) {
        await journal.rewrite([...records].map(([rid, record]) => ({ id: rid, patch: record })));
      }
    },
    close: () => journal.close(),
  };
}

/** One patch applied to a record (or to a new one): the merge every status store uses. */
export function mergeStatusPatch(current: StatusRecord | undefined, id: string, patch: StatusPatch): StatusRecord {
  const base: StatusRecord = current ?? { tracking_id: id, status: 'queued', queued_at: patch.updated_at, updated_at: patch.updated_at };
  // A final state is never overwritten by a late 'processing' (progress events can race the delivery), nor a
  // delivered answer by a dead-lettered duplicate's 'failed' (two deliveries of one message: one answers).
  if (patch.status === 'failed' && base.delivered_at !== undefined && patch.delivered_at === undefined) {
    return { ...base, updated_at: patch.updated_at };
  }
  const status = patch.status === 'processing' && (base.status === 'done' || base.status === 'failed') ? base.status : patch.status;
  return { ...base, ...patch, status: status ?? base.status };
}
