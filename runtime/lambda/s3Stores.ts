/**
 * The webhook status store and the answered-keys set on S3, under the status prefix infra grants (one object per
 * tracking id, one per answered dedupe key). Lambda containers share nothing, so both must live outside them.
 * Status patches merge exactly as the local stores do: the merge is the memory store's own, applied to the stored
 * record and the patch. The S3 SDK is loaded, and its client made, on the first call (`lazyS3`): the Slack ingress
 * function never calls either store, so its cold start should not pay for S3.
 */
import type { S3Client } from '../aws/s3.ts';
import { createMemoryStatusStore, type StatusRecord, type StatusStore } from '../channels/webhook/index.ts';
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
