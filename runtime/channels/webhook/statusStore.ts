/**
 * Where `GET /webhook/{tracking_id}` looks: the life of each webhook request (queued, processing, done, failed),
 * its answer, and whether the answer was delivered. Locally an append-only journal under the data dir (records are
 * patches, merged on read back); delivered requests are recorded durably before the queue message is acked, which
 * is what keeps a redelivered message from being delivered again once its success is on record (at least once:
 * webhookDelivery.ts). It also holds the idempotency claims (an `Idempotency-Key`, or a signed request's
 * signature, -> the tracking id it created), next to the records they point to, so they survive a restart as the
 * records do.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CodedError } from '../../../compiler/codedError.ts';
import { createCompaction } from '../../queue/compaction.ts';
import type { Fsync } from '../../queue/journal.ts';
import { openRecoveredJournal, type OnJournalDamage } from '../../queue/recoverJournal.ts';
import { statusRecordProblem } from './statusRecordCheck.ts';

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
  /** The caller that created the request (`auth.ts` identity): the only one that may read this record. */
  owner?: string;
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

/** What an idempotency key stands for: the request it first created. */
export interface IdempotencyClaim {
  tracking_id: string;
  /** SHA-256 of the request body: the same key with another body is a mistake, not a retry. */
  request_digest: string;
  at: string;
  /** Set once the request is on the queue. */
  queued?: true;
}

/**
 * From claim to enqueue takes milliseconds: a claim still unconfirmed a minute after it was made belongs to a request
 * that died in between (a crash, a timed-out function), and gives way to the next claim of its key, so the retry is
 * queued rather than answered with a request that never ran.
 */
export const CLAIM_GRACE_MS = 60_000;

export type StatusPatch = Partial<StatusRecord> & { updated_at: string };

export interface StatusStore {
  get(trackingId: string): Promise<StatusRecord | undefined>;
  /** Resolves once the patch is on disk. */
  update(trackingId: string, patch: StatusPatch): Promise<void>;
  /**
   * Where to read a record this store holds none of: something else that holds it durably (the embedded queue's
   * record of the message the request became; the webhook channel derives the 'queued' record from it). Such a record
   * reads as it is, and its first `update` writes it whole, merged with the patch, so it outlives the message. Only
   * stores that keep records in memory offer it; set once, before the store is used.
   */
  readThrough?(lookup: (trackingId: string) => StatusRecord | undefined): void;
  /**
   * Claims `key` for `claim` unless a claim of it still stands (`claimStands`), and resolves to the claim in force
   * (the given one when this call made it) once that is durable. Atomic: of concurrent claims of one key, one wins
   * and all see it.
   */
  claim(key: string, claim: IdempotencyClaim): Promise<IdempotencyClaim>;
  /** Marks this call's claim as queued (durably): from then on it stands for the whole retention. */
  confirm(key: string, claim: IdempotencyClaim): Promise<void>;
  /** Withdraws a claim whose request could not be queued, so that a retry with the key is a new request. */
  release(key: string): Promise<void>;
  close(): Promise<void>;
}

/** What a store detects itself (its I/O failures surface as the storage's own errors). */
export class StatusStoreError extends CodedError<'claim_contended'> {
  override readonly name = 'StatusStoreError';
}

export interface StatusRetention {
  /** A record is forgotten this long after its last change, a claim this long after it was made (default: never). */
  retentionMs?: number;
  now?: () => number;
}

/** Whether a record or claim dated `iso` is past the retention at `at`; an unparseable date never expires. */
export const isExpired = (iso: string, retentionMs: number | undefined, at: number): boolean =>
  Date.parse(iso) + (retentionMs ?? Number.POSITIVE_INFINITY) <= at;

/** `toISOString`'s own shape (`2026-01-01T00:00:00.000Z`), whose text order is time order. */
const isCanonicalIso = (iso: string): boolean => iso.length === 24 && iso.charCodeAt(23) === 0x5a && iso.charCodeAt(10) === 0x54
  && iso.charCodeAt(4) === 0x2d && iso.charCodeAt(7) === 0x2d && iso.charCodeAt(13) === 0x3a && iso.charCodeAt(16) === 0x3a && iso.charCodeAt(19) === 0x2e;

/**
 * `isExpired` for a pass over many dates at one `at`: a date in `toISOString`'s shape is compared as text with the
 * cutoff (a sweep of 300,000 records took ~45 ms in `Date.parse`, holding every request up); others are parsed.
 */
export function expiredAt(retentionMs: number | undefined, at: number): (iso: string) => boolean {
  const cutoffMs = at - (retentionMs ?? Number.POSITIVE_INFINITY);
  const cutoff = Math.abs(cutoffMs) <= 8.64e15 ? new Date(cutoffMs).toISOString() : '';
  if (!isCanonicalIso(cutoff)) return (iso) => isExpired(iso, retentionMs, at);
  return (iso) => (isCanonicalIso(iso) ? iso <= cutoff : isExpired(iso, retentionMs, at));
}

/** Whether a claim still stands at `at`: within the retention, and confirmed or within its grace. */
export const claimStands = (claim: IdempotencyClaim, retentionMs: number | undefined, at: number): boolean =>
  !isExpired(claim.at, retentionMs, at) && (claim.queued === true || !isExpired(claim.at, CLAIM_GRACE_MS, at));

/** A full sweep is O(records); once a minute keeps it off the request path, and reads check age themselves. */
const SWEEP_INTERVAL_MS = 60_000;

/**
 * Records and claims in memory, bounded by the retention (issue 10: every record was kept forever). What a read
 * finds expired is gone at once; the rest is swept at most once a minute, on writes.
 */
class StatusMemory {
  readonly records = new Map<string, StatusRecord>();
  readonly claims = new Map<string, IdempotencyClaim>();
  private nextSweepAt = 0;
  private readonly retentionMs: number | undefined;
  private readonly now: () => number;
  /** `StatusStore.readThrough`. */
  lookup: ((id: string) => StatusRecord | undefined) | undefined;

  constructor(options: StatusRetention) {
    this.retentionMs = options.retentionMs;
    this.now = options.now ?? Date.now;
  }

  private expired(iso: string, at = this.now()): boolean {
    return isExpired(iso, this.retentionMs, at);
  }

  record(id: string): StatusRecord | undefined {
    return this.held(id) ?? this.readThrough(id);
  }

  /** The record this memory holds (not one read through). */
  private held(id: string): StatusRecord | undefined {
    const record = this.records.get(id);
    if (record === undefined || !this.expired(record.updated_at)) return record;
    this.records.delete(id);
    return undefined;
  }

  private readThrough(id: string): StatusRecord | undefined {
    const record = this.lookup?.(id);
    return record === undefined || this.expired(record.updated_at) ? undefined : record;
  }

  claim(key: string): IdempotencyClaim | undefined {
    const claim = this.claims.get(key);
    if (claim === undefined || claimStands(claim, this.retentionMs, this.now())) return claim;
    this.claims.delete(key);
    return undefined;
  }

  /** The claim of `key` marked queued, when `claim` is still the one in force. */
  confirmed(key: string, claim: IdempotencyClaim): IdempotencyClaim | undefined {
    if (this.claim(key)?.tracking_id !== claim.tracking_id) return undefined;
    const value: IdempotencyClaim = { ...claim, queued: true };
    this.claims.set(key, value);
    return value;
  }

  /** The claim in force for `key`; when there is none, `claim` becomes it and `undefined` is returned. */
  takeClaim(key: string, claim: IdempotencyClaim): IdempotencyClaim | undefined {
    const held = this.claim(key);
    if (!held) this.claims.set(key, claim);
    return held;
  }

  /** Merges the patch into the record; true when that record was read through (so it is to be written whole). */
  update(id: string, patch: StatusPatch): boolean {
    const held = this.held(id);
    const previous = held ?? this.readThrough(id);
    this.records.set(id, mergeStatusPatch(previous, id, patch));
    this.sweep();
    return held === undefined && previous !== undefined;
  }

  /** Forgets what the retention no longer keeps: at most once a minute, or now when `force`d (start, compaction). */
  sweep(force = false): void {
    const at = this.now();
    if (!force && at < this.nextSweepAt) return;
    this.nextSweepAt = at + SWEEP_INTERVAL_MS;
    const expired = expiredAt(this.retentionMs, at);
    for (const [id, record] of this.records) if (expired(record.updated_at)) this.records.delete(id);
    for (const [key, claim] of this.claims) if (!claimStands(claim, this.retentionMs, at)) this.claims.delete(key);
  }
}

export function createMemoryStatusStore(options: StatusRetention = {}): StatusStore {
  const memory = new StatusMemory(options);
  return {
    get: async (id) => memory.record(id),
    update: async (id, patch) => void memory.update(id, patch),
    readThrough: (lookup) => {
      memory.lookup = lookup;
    },
    claim: async (key, claim) => memory.takeClaim(key, claim) ?? claim,
    confirm: async (key, claim) => void memory.confirmed(key, claim),
    release: async (key) => void memory.claims.delete(key),
    async close() {},
  };
}

type StatusJournalRecord = { id: string; patch: StatusPatch } | { claim: string; value: IdempotencyClaim | null };

export async function createFileStatusStore(
  path: string, options: StatusRetention & { compactAfterBytes?: number; onJournalDamage?: OnJournalDamage; fsync?: Fsync } = {},
): Promise<StatusStore> {
  await mkdir(dirname(path), { recursive: true });
  const { records: recovered, journal } = await openRecoveredJournal<StatusJournalRecord>(path, {
    check: statusRecordProblem, ...(options.onJournalDamage ? { onDamage: options.onJournalDamage } : {}),
    ...(options.fsync ? { fsync: options.fsync } : {}),
  });
  const memory = new StatusMemory(options);
  const writing = new Map<string, Promise<void>>();
  /**
   * Records read through whose whole write failed: their next update writes them whole again. A compaction writes
   * them too, but they stay listed: should its rewrite fail, a patch alone would lose what the first part said.
   */
  const unwritten = new Set<string>();
  for (const raw of recovered) {
    if (!('claim' in raw)) memory.records.set(raw.id, mergeStatusPatch(memory.records.get(raw.id), raw.id, raw.patch));
    else if (raw.value) memory.claims.set(raw.claim, raw.value);
    else memory.claims.delete(raw.claim);
  }
  // What outlived the retention while the server was down is not kept.
  memory.sweep(true);
  const compactAfterBytes = options.compactAfterBytes ?? 16 * 1024 * 1024;
  // Only what the retention still keeps is written back: the journal stays as bounded as the memory. One pass, no
  // intermediate arrays: it runs while appends wait, over every record in the retention.
  const maybeCompact = createCompaction(journal, compactAfterBytes, () => {
    memory.sweep(true);
    const records: StatusJournalRecord[] = [];
    for (const [id, record] of memory.records) records.push({ id, patch: record });
    for (const [key, value] of memory.claims) records.push({ claim: key, value });
    return records;
  });
  const append = async (record: StatusJournalRecord): Promise<void> => {
    await journal.append(record);
    await maybeCompact();
  };
  return {
    get: async (id) => memory.record(id),
    async update(id, patch) {
      const readThrough = memory.update(id, patch);
      const whole = readThrough || (unwritten.size > 0 && unwritten.delete(id)) ? memory.record(id) : undefined;
      await append({ id, patch: whole ?? patch }).catch((error: unknown) => {
        if (whole) unwritten.add(id);
        throw error;
      });
    },
    readThrough(lookup) {
      memory.lookup = lookup;
    },
    async claim(key, claim) {
      // Checked and set before any await, so concurrent claims in this process see each other; a claim seen while
      // it is still being written is answered once it is on disk.
      const held = memory.takeClaim(key, claim);
      if (held) {
        await writing.get(key);
        return held;
      }
      const written = append({ claim: key, value: claim })
        .catch((error: unknown) => {
          memory.claims.delete(key);
          throw error;
        })
        .finally(() => writing.delete(key));
      writing.set(key, written);
      await written;
      return claim;
    },
    async confirm(key, claim) {
      const value = memory.confirmed(key, claim);
      if (value) await append({ claim: key, value });
    },
    async release(key) {
      if (!memory.claims.delete(key)) return;
      await append({ claim: key, value: null });
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
