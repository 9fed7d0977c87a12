/**
 * The webhook status store and the answered-keys set on S3, under the status prefix infra grants (one object per
 * tracking id, one per idempotency claim, one per answered dedupe key). Lambda containers share nothing, so all must
 * live outside them. A claim is created with a conditional write (`If-None-Match: *`): of concurrent ingress
 * functions claiming one key, S3 lets one create it and refuses the others, which then read the winner's. Records
 * and claims past the channel's status retention read as gone (the bucket's lifecycle rule deletes them later).
 * Status patches merge exactly as the local stores do: the merge is the memory store's own, applied to the stored
 * record and the patch. The S3 SDK is loaded, and its client made, on the first call (`lazyS3`): the Slack ingress
 * function never calls either store, so its cold start should not pay for S3.
 */
import type { S3Client } from '../aws/s3.ts';
import {
  claimStands, createMemoryStatusStore, isExpired, StatusStoreError, type IdempotencyClaim, type StatusRecord, type StatusRetention, type StatusStore,
} from '../channels/webhook/index.ts';
import type { DoneSet } from '../processing/doneSet.ts';
import { once } from '../once.ts';

export interface S3 {
  sdk: typeof import('../aws/s3.ts');
  client: S3Client;
}

/** The S3 SDK and one client, on first use. */
export const lazyS3 = (): (() => Promise<S3>) => once(async () => {
  const sdk = await import('../aws/s3.ts');
  return { sdk, client: new sdk.S3Client({}) };
});

const errorName = (error: unknown): string => (error as { name?: string }).name ?? '';
const isMissing = (error: unknown): boolean => ['NoSuchKey', 'NotFound'].includes(errorName(error));
/** S3 refused a conditional write: the object exists (412), or another write to it was in progress (409). */
const lostTheRace = (error: unknown): boolean =>
  ['PreconditionFailed', 'ConditionalRequestConflict'].includes(errorName(error))
  || [409, 412].includes((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0);

export function createS3StatusStore(s3: () => Promise<S3>, bucket: string, prefix: string, retention: StatusRetention = {}): StatusStore {
  const base = prefix.replace(/\/+$/, '');
  const key = (id: string) => `${base}/status/${encodeURIComponent(id)}.json`;
  const claimKey = (id: string) => `${base}/claims/${encodeURIComponent(id)}.json`;
  // S3's lifecycle rule deletes expired objects within a day or so; until then they are read as gone.
  const expired = (iso: string): boolean => isExpired(iso, retention.retentionMs, (retention.now ?? Date.now)());
  const read = async <T>(objectKey: string): Promise<{ value: T; etag: string } | undefined> => {
    try {
      const { sdk, client } = await s3();
      const object = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: objectKey }));
      return { value: JSON.parse(await object.Body!.transformToString()) as T, etag: object.ETag ?? '' };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  };
  const get = async (id: string): Promise<StatusRecord | undefined> => {
    const record = (await read<StatusRecord>(key(id)))?.value;
    return record && !expired(record.updated_at) ? record : undefined;
  };
  return {
    get,
    async claim(id, claim) {
      const { sdk, client } = await s3();
      // Create the claim only if there is none; take over one that no longer stands (expired, or unconfirmed past its
      // grace) only if it is still the one read.
      let condition: { IfNoneMatch: string } | { IfMatch: string } = { IfNoneMatch: '*' };
      for (let attempt = 0; attempt < 3; attempt += 1) {
        try {
          await client.send(new sdk.PutObjectCommand({
            Bucket: bucket, Key: claimKey(id), Body: JSON.stringify(claim), ContentType: 'application/json', ...condition,
          }));
          return claim;
        } catch (error) {
          if (!lostTheRace(error)) throw error;
        }
        const held = await read<IdempotencyClaim>(claimKey(id));
        if (held && claimStands(held.value, retention.retentionMs, (retention.now ?? Date.now)())) return held.value;
        condition = held ? { IfMatch: held.etag } : { IfNoneMatch: '*' };
      }
      throw new StatusStoreError('claim_contended', `S3 kept refusing the idempotency claim ${claimKey(id)} while it changed; retry the request`);
    },
    async confirm(id, claim) {
      const held = await read<IdempotencyClaim>(claimKey(id));
      if (held?.value.tracking_id !== claim.tracking_id) return; // taken over meanwhile: it is another request's now
      const { sdk, client } = await s3();
      try {
        await client.send(new sdk.PutObjectCommand({
          Bucket: bucket, Key: claimKey(id), Body: JSON.stringify({ ...claim, queued: true }), ContentType: 'application/json',
          IfMatch: held.etag,
        }));
      } catch (error) {
        if (!lostTheRace(error)) throw error;
      }
    },
    async release(id) {
      const { sdk, client } = await s3();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: bucket, Key: claimKey(id) }));
    },
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
