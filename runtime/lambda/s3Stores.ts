/**
 * The webhook status store, the answered-keys set, pending actions and the audit log on S3, under the status prefix infra grants (one object per
 * tracking id, one per answered dedupe key). Lambda containers share nothing, so both must live outside them.
 * Status patches merge exactly as the local stores do: the merge is the memory store's own, applied to the stored
 * record and the patch. The S3 SDK is loaded, and its client made, on the first call (`lazyS3`): the Slack ingress
 * function never calls either store, so its cold start should not pay for S3.
 */
import type { S3Client } from '../aws/s3.ts';
import { createMemoryStatusStore, type StatusRecord, type StatusStore } from '../channels/webhook/index.ts';
import type { DoneSet } from '../processing/doneSet.ts';
import { once } from '../once.ts';
import type { AuditLog, AuditRecord } from '../approvals/auditLog.ts';
import type { PendingAction } from '../approvals/pendingAction.ts';
import type { PendingStore } from '../approvals/pendingStore.ts';

export interface S3 {
  sdk: typeof import('../aws/s3.ts');
  client: S3Client;
}

/** The S3 SDK and one client, on first use. */
export const lazyS3 = (): (() => Promise<S3>) => once(async () => {
  const sdk = await import('../aws/s3.ts');
  return { sdk, client: new sdk.S3Client({}) };
});

const isMissing = (error: unknown): boolean =>
  ['NoSuchKey', 'NotFound'].includes((error as { name?: string }).name ?? '');

export function createS3StatusStore(s3: () => Promise<S3>, bucket: string, prefix: string): StatusStore {
  const key = (id: string) => `${prefix.replace(/\/+$/, '')}/status/${encodeURIComponent(id)}.json`;
  const get = async (id: string): Promise<StatusRecord | undefined> => {
    try {
      const { sdk, client } = await s3();
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key(id) }));
      return JSON.parse(await object.Body!.transformToString()) as StatusRecord;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };
  return {
    get,
    async update(id, patch) {
      const merged = createMemoryStatusStore();
      const current = await get(id);
      if (current) await merged.update(id, current);
      await merged.update(id, patch);
      const { sdk, client } = await s3();
      await client.send(new sdk.PutObjectCommand({
        Bucket: bucket, Key: key(id), Body: JSON.stringify(await merged.get(id)), ContentType: 'application/json',
      }));
    },
    close: async () => undefined,
  };
}

export function createS3DoneSet(s3: () => Promise<S3>, bucket: string, prefix: string): DoneSet {
  const key = (dedupeKey: string) => `${prefix.replace(/\/+$/, '')}/done/${encodeURIComponent(dedupeKey)}`;
  return {
    async has(dedupeKey) {
      const { sdk, client } = await s3();
      try {
        await client.send(new sdk.HeadObjectCommand({ Bucket: bucket, Key: key(dedupeKey) }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async add(dedupeKey) {
      const { sdk, client } = await s3();
      // An explicit length: without it the SDK warns, on every answered message, about a stream of unknown length.
      await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key(dedupeKey), Body: '', ContentLength: 0 }));
    },
    close: async () => undefined,
  };
}

const isConflict = (error: unknown): boolean =>
  ['PreconditionFailed', 'ConditionalRequestConflict'].includes((error as { name?: string }).name ?? '')
  || [409, 412].includes((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0);

/**
 * Pending actions on S3, one object per action: created with `If-None-Match: *` and swapped with `If-Match` on the
 * ETag read with the expected status, so two processors settling the same action race on S3's conditional write
 * and exactly one wins (the local store gets the same guarantee from its single process).
 */
export function createS3PendingStore(s3: () => Promise<S3>, bucket: string, prefix: string): PendingStore {
  const key = (id: string) => `${prefix.replace(/\/+$/, '')}/approvals/pending/${encodeURIComponent(id)}.json`;
  const read = async (id: string): Promise<{ action: PendingAction; etag: string } | undefined> => {
    const { sdk, client } = await s3();
    try {
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key(id) }));
      return { action: JSON.parse(await object.Body!.transformToString()) as PendingAction, etag: object.ETag ?? '' };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };
  const put = async (action: PendingAction, condition: { IfNoneMatch: string } | { IfMatch: string }): Promise<boolean> => {
    const { sdk, client } = await s3();
    try {
      await client.send(new sdk.PutObjectCommand({ Bucket: bucket, Key: key(action.id), Body: JSON.stringify(action), ContentType: 'application/json', ...condition }));
      return true;
    } catch (error) {
      if (isConflict(error)) return false;
      throw error;
    }
  };
  return {
    get: async (id) => (await read(id))?.action,
    create: async (action) => void await put(action, { IfNoneMatch: '*' }),
    async swap(expected, next) {
      const current = await read(next.id);
      if (!current || current.action.status !== expected) return false;
      return put(next, { IfMatch: current.etag });
    },
    close: async () => undefined,
  };
}

/** The audit log on S3: one object per action, keyed by time so a listing reads newest last; written once per id. */
export function createS3AuditLog(s3: () => Promise<S3>, bucket: string, prefix: string): AuditLog {
  const folder = `${prefix.replace(/\/+$/, '')}/approvals/audit/`;
  return {
    async append(record) {
      const { sdk, client } = await s3();
      const at = (record.decided_at ?? record.asked_at).replace(/[:.]/g, '-');
      try {
        await client.send(new sdk.PutObjectCommand({
          Bucket: bucket, Key: `${folder}${at}_${encodeURIComponent(record.action_id)}.json`, Body: JSON.stringify(record),
          ContentType: 'application/json', IfNoneMatch: '*',
        }));
      } catch (error) {
        if (!isConflict(error)) throw error;
      }
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
      return Promise.all(newest.map(async (k) => {
        const object = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: k }));
        return JSON.parse(await object.Body!.transformToString()) as AuditRecord;
      }));
    },
    close: async () => undefined,
  };
}
