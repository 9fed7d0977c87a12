/**
 * Where `GET /webhook/{tracking_id}` looks: the life of each webhook request (queued, processing, done, failed),
 * its answer, and whether the answer was delivered. Locally an append-only journal under the data dir (records are
 * patches, merged on read back); delivered requests are recorded durably before the queue message is acked, which
 * is what keeps a redelivered message from being delivered twice. It also holds the idempotency claims (an
 * `Idempotency-Key`, or a signed request's signature, -> the tracking id it created), next to the records they
 * point to, so they survive a restart as the records do.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { openJournal, readJournal, type Journal } from '../../queue/journal.ts';

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
  delivery_attempts?: number;
  /** The last failed delivery attempt while retries continue. */
  last_delivery_error?: string;
  /** The caller that created the request (`auth.ts` identity): the only one that may read this record. */
  owner?: string;
}

/** What an idempotency key stands for: the request it first created. */
export interface IdempotencyClaim {
  tracking_id: string;
  /** SHA-256 of the request body: the same key with another body is a mistake, not a retry. */
  request_digest: string;
  at: string;
}

export type StatusPatch = Partial<StatusRecord> & { updated_at: string };

export interface StatusStore {
  get(trackingId: string): Promise<StatusRecord | undefined>;
  /** Resolves once the patch is on disk. */
  update(trackingId: string, patch: StatusPatch): Promise<void>;
  /**
   * Claims `key` for `claim` unless it is claimed already, and resolves to the claim in force (the given one when
   * this call made it) once that is durable. Atomic: of concurrent claims of one key, one wins and all see it.
   */
  claim(key: string, claim: IdempotencyClaim): Promise<IdempotencyClaim>;
  /** Withdraws a claim whose request could not be queued, so that a retry with the key is a new request. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

export function createMemoryStatusStore(): StatusStore {
  const records = new Map<string, StatusRecord>();
  const claims = new Map<string, IdempotencyClaim>();
  return {
    async get(id) {
      return records.get(id);
    },
    async update(id, patch) {
      records.set(id, merge(records.get(id), id, patch));
    },
    async claim(key, claim) {
      const held = claims.get(key);
      if (held) return held;
      claims.set(key, claim);
      return claim;
    },
    async release(key) {
      claims.delete(key);
    },
    async close() {},
  };
}

type StatusJournalRecord = { id: string; patch: StatusPatch } | { claim: string; value: IdempotencyClaim | null };

export async function createFileStatusStore(path: string, options: { compactAfterBytes?: number } = {}): Promise<StatusStore> {
  await mkdir(dirname(path), { recursive: true });
  const contents = await readJournal(path);
  const records = new Map<string, StatusRecord>();
  const claims = new Map<string, IdempotencyClaim>();
  const writing = new Map<string, Promise<void>>();
  for (const raw of contents.records as StatusJournalRecord[]) {
    if ('claim' in raw) {
      if (raw.value) claims.set(raw.claim, raw.value);
      else claims.delete(raw.claim);
    } else {
      records.set(raw.id, merge(records.get(raw.id), raw.id, raw.patch));
    }
  }
  const journal: Journal = await openJournal(path, { validBytes: contents.validBytes });
  const compactAfterBytes = options.compactAfterBytes ?? 16 * 1024 * 1024;
  const append = async (record: StatusJournalRecord): Promise<void> => {
    await journal.append(record);
    if (journal.bytes > compactAfterBytes) {
      await journal.rewrite([
        ...[...records].map(([id, record]): StatusJournalRecord => ({ id, patch: record })),
        ...[...claims].map(([key, value]): StatusJournalRecord => ({ claim: key, value })),
      ]);
    }
  };
  return {
    async get(id) {
      return records.get(id);
    },
    async update(id, patch) {
      records.set(id, merge(records.get(id), id, patch));
      await append({ id, patch });
    },
    async claim(key, claim) {
      // Checked and set before any await, so concurrent claims in this process see each other; a claim seen while
      // it is still being written is answered once it is on disk.
      const held = claims.get(key);
      if (held) {
        await writing.get(key);
        return held;
      }
      claims.set(key, claim);
      const written = append({ claim: key, value: claim })
        .catch((error: unknown) => {
          claims.delete(key);
          throw error;
        })
        .finally(() => writing.delete(key));
      writing.set(key, written);
      await written;
      return claim;
    },
    async release(key) {
      if (!claims.delete(key)) return;
      await append({ claim: key, value: null });
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
