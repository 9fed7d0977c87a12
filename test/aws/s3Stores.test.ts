/** The S3 stores' AWS-only behaviour on moto_server: a missing bucket, a claim whose holder died. */
import { describe, expect, it } from 'vitest';
import { createS3DoneSet, createS3StatusStore } from '../../runtime/lambda/s3Stores.ts';
import { createBucket, motoAbsent, s3Client, s3Connection, uniqueName } from './motoClients.ts';

describe.skipIf(motoAbsent)('S3 stores on moto_server', () => {
  const s3 = s3Client();

  it('a missing bucket is an error, never "not answered" or "no such request"', async () => {
    const bucket = uniqueName('revops-missing');
    await expect(createS3DoneSet(s3Connection(s3), bucket, 'webhook-status', { leaseMs: 1 }).has('k'))
      .rejects.toMatchObject({ name: 'StoreError', code: 'store_unavailable' });
    await expect(createS3StatusStore(s3Connection(s3), bucket, 'webhook-status').get('t'))
      .rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('a claim past its lease (its function died) is taken over by exactly one later delivery', async () => {
    const bucket = await createBucket(s3);
    let clock = 1_000_000;
    const done = createS3DoneSet(s3Connection(s3), bucket, 'webhook-status', { leaseMs: 60_000, now: () => clock });
    expect((await done.claim('k')).status).toBe('claimed');
    clock += 30_000;
    expect(await done.claim('k')).toEqual({ status: 'busy' });
    clock += 31_000;
    const takeovers = await Promise.all([done.claim('k'), done.claim('k'), done.claim('k')]);
    expect(takeovers.map((c) => c.status).sort()).toEqual(['busy', 'busy', 'claimed']);
  });
});
