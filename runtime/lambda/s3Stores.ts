/**
 * The webhook status store, the answered-keys set, pending actions and the audit log on S3, under the status prefix infra grants (one object per
 * tracking id, one per idempotency claim, one per answered dedupe key), held to the same contracts as the local
 * stores (test/contracts/). Lambda containers share nothing, so all must live outside them, and concurrent
 * functions write them at once: every write that could race is conditional (s3Objects.ts).
 * - A status patch merges exactly as the local stores do (`mergeStatusPatch`), into the record it read, and is
 *   written `If-Match` its ETag (or `If-None-Match: *` for a new record); a lost race reads again and retries, so
 *   concurrent patches never lose each other's fields.
 * - An idempotency claim is created with `If-None-Match: *`: of concurrent ingress functions claiming one key, S3
 *   lets one create it and refuses the others, which then read the winner's.
 * - An answered key is claimed with an `If-None-Match: *` create before processing; a claim older than the lease
 *   (a function that died) may be taken over, `If-Match` its ETag.
 * A new record and a new claim never read first, so neither pays for telling "missing" from "denied" (a 403 on a
 * read costs a listing of the key, s3Objects.ts).
 * Records and claims past the channel's status retention read as gone (the bucket's lifecycle rule deletes them
 * later). The S3 SDK is loaded, and its client made, on the first call (`lazyS3`): the Slack ingress function never
 * calls either store, so its cold start should not pay for S3.
 */
import { randomUUID } from 'node:crypto';
import {
  claimStands, isExpired, mergeStatusPatch, StatusStoreError,
  type IdempotencyClaim, type StatusRecord, type StatusRetention, type StatusStore,
} from '../channels/webhook/statusStore.ts';
import type { Claim, DoneSet } from '../processing/doneSet.ts';
import { once } from '../once.ts';
import { readText, storeError, StoreError, writeText, writeTextIf, type Location, type S3 } from '../aws/s3Objects.ts';
import type { AuditLog, AuditRecord } from '../approvals/auditLog.ts';
import type { PendingAction } from '../approvals/pendingAction.ts';
import type { PendingStore } from '../approvals/pendingStore.ts';

export type { S3 } from '../aws/s3Objects.ts';

/** The S3 SDK and one client, on first use. */
export const lazyS3 = (): (() => Promise<S3>) => once(async () => {
  const sdk = await import('../aws/s3.ts');
  return { sdk, client: new sdk.S3Client({}) };
});

/** Conditional writes lost in a row before a patch gives up: each round one of the racing writers wins. */
const MAX_WRITE_ROUNDS = 16;
const pause = (round: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * round));
const folder = (prefix: string): string => prefix.replace(/\/+$/, '');

export function createS3StatusStore(s3: () => Promise<S3>, bucket: string, prefix: string, retention: StatusRetention = {}): StatusStore {
  const record = (id: string): Location => ({ bucket, key: `${folder(prefix)}/status/${encodeURIComponent(id)}.json` });
  const claimAt = (key: string): Location => ({ bucket, key: `${folder(prefix)}/claims/${encodeURIComponent(key)}.json` });
  const now = (): number => (retention.now ?? Date.now)();
  // S3's lifecycle rule deletes expired objects within a day or so; until then they are read as gone.
  const expired = (iso: string): boolean => isExpired(iso, retention.retentionMs, now());
  const read = async <T>(at: Location): Promise<{ value: T; etag: string } | undefined> => {
    const stored = await readText(s3, at);
    return stored && { value: JSON.parse(stored.text) as T, etag: stored.etag };
  };
  const readRecord = async (id: string) => {
    const stored = await read<StatusRecord>(record(id));
    return stored && { record: expired(stored.value.updated_at) ? undefined : stored.value, etag: stored.etag };
  };
  return {
    get: async (id) => (await readRecord(id))?.record,
    async update(id, patch) {
      for (let round = 1; round <= MAX_WRITE_ROUNDS; round += 1) {
        // A first patch creates without reading: S3's answer for a missing key may be a 403 (no s3:ListBucket).
        const current = round === 1 && patch.status === 'queued' ? undefined : await readRecord(id);
        const merged = JSON.stringify(mergeStatusPatch(current?.record, id, patch));
        if (await writeTextIf(s3, record(id), merged, current ? { etag: current.etag } : 'create') !== 'lost') return;
        await pause(round);
      }
      throw new StoreError('store_conflict', `status ${id}: ${MAX_WRITE_ROUNDS} conditional writes in a row lost to concurrent ` +
        'patches; the patch was not applied, retry it');
    },
    async claim(key, claim) {
      // Create the claim only if there is none; take over one that no longer stands (expired, or unconfirmed past its
      // grace) only if it is still the one read.
      let condition: 'create' | { etag: string } = 'create';
      for (let attempt = 0; attempt < 3; attempt += 1) {
        if (await writeTextIf(s3, claimAt(key), JSON.stringify(claim), condition) !== 'lost') return claim;
        const held = await read<IdempotencyClaim>(claimAt(key));
        if (held && claimStands(held.value, retention.retentionMs, now())) return held.value;
        condition = held ? { etag: held.etag } : 'create';
      }
      throw new StatusStoreError('claim_contended', `S3 kept refusing the idempotency claim ${claimAt(key).key} while it changed; retry the request`);
    },
    async confirm(key, claim) {
      const held = await read<IdempotencyClaim>(claimAt(key));
      if (held?.value.tracking_id !== claim.tracking_id) return; // taken over meanwhile: it is another request's now
      // A lost race means it was taken over since: it is another request's claim then, and stays as it is.
      await writeTextIf(s3, claimAt(key), JSON.stringify({ ...claim, queued: true }), { etag: held.etag });
    },
    async release(key) {
      const { sdk, client } = await s3();
      const at = claimAt(key);
      await client.send(new sdk.DeleteObjectCommand({ Bucket: at.bucket, Key: at.key })).catch((error: unknown) => {
        throw storeError(error, 'deleting', at);
      });
    },
    close: async () => undefined,
  };
}

/** The object of one key: a live claim (who, until when), a released one, or the answered mark. */
type DoneObject = { state: 'claimed'; by: string; until: number } | { state: 'released' } | { state: 'answered'; at: number };

const parseDone = (text: string): DoneObject =>
  // An empty object is an answered key written before claims existed.
  (text.trim() ? JSON.parse(text) as DoneObject : { state: 'answered', at: 0 });

export interface S3DoneSetOptions {
  /** How long a claim holds before another delivery may take it over: at least the processor's timeout. */
  leaseMs: number;
  now?: () => number;
}

export function createS3DoneSet(s3: () => Promise<S3>, bucket: string, prefix: string, options: S3DoneSetOptions): DoneSet {
  const now = options.now ?? Date.now;
  const at = (dedupeKey: string): Location => ({ bucket, key: `${folder(prefix)}/done/${encodeURIComponent(dedupeKey)}` });
  const held = (key: string, etag: string): Claim => ({
    status: 'claimed',
    // Answered is final whoever holds the claim now (a takeover after this delivery outlived its lease).
    complete: () => writeText(s3, at(key), JSON.stringify({ state: 'answered', at: now() } satisfies DoneObject)),
    release: async () => {
      await writeTextIf(s3, at(key), JSON.stringify({ state: 'released' } satisfies DoneObject), { etag });
    },
  });
  return {
    async has(dedupeKey) {
      const stored = await readText(s3, at(dedupeKey));
      return stored !== undefined && parseDone(stored.text).state === 'answered';
    },
    async claim(dedupeKey) {
      const claim = (): string => JSON.stringify({ state: 'claimed', by: randomUUID(), until: now() + options.leaseMs } satisfies DoneObject);
      const created = await writeTextIf(s3, at(dedupeKey), claim(), 'create');
      if (created !== 'lost') return held(dedupeKey, created);
      const stored = await readText(s3, at(dedupeKey));
      // Gone between the two calls: only a takeover-and-release race does that; the next delivery claims afresh.
      if (!stored) return { status: 'busy' };
      const current = parseDone(stored.text);
      if (current.state === 'answered') return { status: 'answered' };
      if (current.state === 'claimed' && current.until > now()) return { status: 'busy' };
      const taken = await writeTextIf(s3, at(dedupeKey), claim(), { etag: stored.etag });
      return taken === 'lost' ? { status: 'busy' } : held(dedupeKey, taken);
    },
    close: async () => undefined,
  };
}

/**
 * Pending actions on S3, one object per action: created `If-None-Match: *` and swapped `If-Match` the ETag read with
 * the expected status, so two processors settling the same action race on S3's conditional write and exactly one
 * wins (the local store gets the same guarantee from its single process).
 */
export function createS3PendingStore(s3: () => Promise<S3>, bucket: string, prefix: string): PendingStore {
  const at = (id: string): Location => ({ bucket, key: `${prefix.replace(/\/+$/, '')}/approvals/pending/${encodeURIComponent(id)}.json` });
  const read = async (id: string) => {
    const stored = await readText(s3, at(id));
    return stored && { action: JSON.parse(stored.text) as PendingAction, etag: stored.etag };
  };
  return {
    get: async (id) => (await read(id))?.action,
    create: async (action) => void await writeTextIf(s3, at(action.id), JSON.stringify(action), 'create'),
    async swap(expected, next) {
      const current = await read(next.id);
      if (!current || current.action.status !== expected) return false;
      return (await writeTextIf(s3, at(next.id), JSON.stringify(next), { etag: current.etag })) !== 'lost';
    },
    close: async () => undefined,
  };
}

/** The audit log on S3: one object per action, keyed by time so a listing reads newest last; written once per id. */
export function createS3AuditLog(s3: () => Promise<S3>, bucket: string, prefix: string): AuditLog {
  const folder = `${prefix.replace(/\/+$/, '')}/approvals/audit/`;
  return {
    async append(record) {
      const when = (record.decided_at ?? record.asked_at).replace(/[:.]/g, '-');
      // Created once: a replayed append of the same action loses the race and changes nothing.
      await writeTextIf(s3, { bucket, key: `${folder}${when}_${encodeURIComponent(record.action_id)}.json` }, JSON.stringify(record), 'create');
    },
    async list(last) {
      const { sdk, client } = await s3();
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(new sdk.ListObjectsV2Command({ Bucket: bucket, Prefix: folder, ...(token ? { ContinuationToken: token } : {}) }));
        keys.push(...(page.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : [])));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      const newest = keys.sort().slice(-last).reverse();
      const records = await Promise.all(newest.map(async (key) => (await readText(s3, { bucket, key }))?.text));
      return records.flatMap((text) => (text ? [JSON.parse(text) as AuditRecord] : []));
    },
    close: async () => undefined,
  };
}
