/**
 * Where `GET /webhook/{tracking_id}` looks: the life of each webhook request (queued, processing, done, failed),
 * its answer, and whether the answer was delivered. Locally an append-only journal under the data dir (records are
 * patches, merged on read back); delivered requests are recorded durably before the queue message is acked, which
 * is what keeps a redelivered message from being delivered again once its success is on record (at least once:
 * webhookDelivery.ts).
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openJournal, readJournal, type Journal } from '../../queue/journal.ts';

export type WebhookStatus = 'queued' | 'processing' | 'awaiting_approval' | 'done' | 'failed';

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
  /** awaiting_approval: what waits for `POST /webhook/{tracking_id}/approve` (or `/reject`); later, how it ended. */
  pending_action?: PendingActionView;
  /** When the awaiting_approval payload reached the receiver (the final result is `delivered_at`). */
  approval_delivered_at?: string;
}

export interface PendingActionView {
  id: string;
  tool: string;
  status: string;
  expires_at: string;
  preview: Record<string, unknown>;
  /** The caller who asked: only it may approve or reject. */
  asked_by?: string;
  decided_by?: string;
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
      records.set(id, merge(records.get(id), id, patch));
    },
    async close() {},
  };
}

export async function createFileStatusStore(path: string, options: { compactAfterBytes?: number } = {}): Promise<StatusStore> {
  await mkdir(dirname(path), { recursive: true });
  const contents = await readJournal(path);
  const records = new Map<string, StatusRecord>();
  for (const raw of contents.records) {
    const { id, patch } = raw as { id: string; patch: StatusPatch };
    records.set(id, merge(records.get(id), id, patch));
  }
  const journal: Journal = await openJournal(path, { validBytes: contents.validBytes });
  const compactAfterBytes = options.compactAfterBytes ?? 16 * 1024 * 1024;
  return {
    async get(id) {
      return records.get(id);
    },
    async update(id, patch) {
      records.set(id, merge(records.get(id), id, patch));
      await journal.append({ id, patch });
      if (journal.bytes > compactAfterBytes) {
        await journal.rewrite([...records].map(([rid, record]) => ({ id: rid, patch: record })));
      }
    },
    close: () => journal.close(),
  };
}

function merge(current: StatusRecord | undefined, id: string, patch: StatusPatch): StatusRecord {
  const base: StatusRecord = current ?? { tracking_id: id, status: 'queued', queued_at: patch.updated_at, updated_at: patch.updated_at };
  // A final state is never overwritten by a late 'processing' (progress events can race the delivery).
  const status = patch.status === 'processing' && (base.status === 'done' || base.status === 'failed') ? base.status : patch.status;
  return { ...base, ...patch, status: status ?? base.status };
}
