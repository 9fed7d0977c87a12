/**
 * The webhook status store and the answered-keys set on S3, under the status prefix infra grants (one object per
 * tracking id, one per answered dedupe key). Lambda containers share nothing, so both must live outside them.
 * Status patches merge exactly as the local stores do: the merge is the memory store's own, applied to the stored
 * record and the patch.
 */
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createMemoryStatusStore, type StatusRecord, type StatusStore } from '../channels/webhook/index.ts';
import type { DoneSet } from '../processing/doneSet.ts';

const isMissing = (error: unknown): boolean =>
  ['NoSuchKey', 'NotFound'].includes((error as { name?: string }).name ?? '');

export function createS3StatusStore(client: S3Client, bucket: string, prefix: string): StatusStore {
  const key = (id: string) => `${prefix.replace(/\/+$/, '')}/status/${encodeURIComponent(id)}.json`;
  const get = async (id: string): Promise<StatusRecord | undefined> => {
    try {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key(id) }));
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
      await client.send(new PutObjectCommand({
        Bucket: bucket, Key: key(id), Body: JSON.stringify(await merged.get(id)), ContentType: 'application/json',
      }));
    },
    close: async () => undefined,
  };
}

export function createS3DoneSet(client: S3Client, bucket: string, prefix: string): DoneSet {
  const key = (dedupeKey: string) => `${prefix.replace(/\/+$/, '')}/done/${encodeURIComponent(dedupeKey)}`;
  return {
    async has(dedupeKey) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key(dedupeKey) }));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async add(dedupeKey) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key(dedupeKey), Body: '' }));
    },
    close: async () => undefined,
  };
}
