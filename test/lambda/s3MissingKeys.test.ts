/**
 * Missing keys on real S3, under the policy infra grants the processor: S3 answers 403 for a key that does not exist
 * unless the role may list it, and whether a ListBucket grant limited by `s3:prefix` counts is not documented. The
 * stores must read a missing key as missing either way, and a refusal as `store_denied` naming the permission.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import * as sdk from '../../runtime/aws/s3.ts';
import { readText, writeTextIf } from '../../runtime/aws/s3Objects.ts';
import { createS3DoneSet, createS3StatusStore } from '../../runtime/lambda/s3Stores.ts';
import { functionRolePolicy } from '../../infra/policies/documents.ts';
import { s3PolicyStandIn } from './s3PolicyStandIn.ts';

const BUCKET = 'revops-exports';
const STATUS = `arn:aws:s3:::${BUCKET}/webhook-status/*`;
/** The processor's S3 grants as infra/stack.ts gives them. */
const processorPolicy = functionRolePolicy({ logGroupArn: 'arn:aws:logs:us-east-1:1:log-group:p', readObjects: [STATUS], writeObjects: [STATUS] });
const withoutList = { ...processorPolicy, Statement: processorPolicy.Statement.filter((s) => !s.Action.includes('s3:ListBucket')) };
const withoutGet = { ...processorPolicy, Statement: processorPolicy.Statement.filter((s) => !s.Action.includes('s3:GetObject')) };

let standIn: ReturnType<typeof s3PolicyStandIn> | undefined;
afterEach(() => standIn?.mock.restore());
const open = (policy: typeof processorPolicy, prefixListCounts: boolean) => {
  standIn?.mock.restore();
  standIn = s3PolicyStandIn({ bucket: BUCKET, policy, prefixListCounts });
  const client = standIn.client;
  return { ...standIn, connection: async () => ({ sdk, client }) };
};

describe.each([
  { behaviour: 'S3 counts the prefix-limited ListBucket grant (404 for a missing key)', prefixListCounts: true },
  { behaviour: 'S3 ignores it (403 for a missing key)', prefixListCounts: false },
])('S3 stores when $behaviour', ({ prefixListCounts }) => {
  it('an unknown id and an unanswered key read as missing', async () => {
    const { connection } = open(processorPolicy, prefixListCounts);
    expect(await createS3StatusStore(connection, BUCKET, 'webhook-status').get('unknown')).toBeUndefined();
    expect(await createS3DoneSet(connection, BUCKET, 'webhook-status', { leaseMs: 60_000 }).has('k-1')).toBe(false);
  });

  it('a key that only starts another key is still missing', async () => {
    const { connection, objects } = open(processorPolicy, prefixListCounts);
    objects.set('webhook-status/done/k-10', { text: JSON.stringify({ state: 'answered', at: 1 }), etag: '"x"' });
    expect(await createS3DoneSet(connection, BUCKET, 'webhook-status', { leaseMs: 60_000 }).has('k-1')).toBe(false);
    expect(await createS3DoneSet(connection, BUCKET, 'webhook-status', { leaseMs: 60_000 }).has('k-10')).toBe(true);
  });

  it('a webhook request goes queued → processing → done, its key claimed and answered once', async () => {
    const { connection } = open(processorPolicy, prefixListCounts);
    const status = createS3StatusStore(connection, BUCKET, 'webhook-status');
    await status.update('t-1', { status: 'queued', updated_at: '2026-01-15T10:00:00.000Z' });
    await status.update('t-1', { status: 'processing', updated_at: '2026-01-15T10:00:01.000Z' });
    await status.update('t-1', { status: 'done', response: 'ok', updated_at: '2026-01-15T10:00:02.000Z' });
    expect(await status.get('t-1')).toMatchObject({ tracking_id: 't-1', status: 'done', response: 'ok' });
    const done = createS3DoneSet(connection, BUCKET, 'webhook-status', { leaseMs: 60_000 });
    const claim = await done.claim('k-1');
    expect(claim.status).toBe('claimed');
    if (claim.status === 'claimed') await claim.complete();
    expect(await done.has('k-1')).toBe(true);
    expect(await done.claim('k-1')).toEqual({ status: 'answered' });
  });

  it('a key that exists but may not be read is store_denied naming s3:GetObject', async () => {
    const { connection, objects } = open(withoutGet, prefixListCounts);
    objects.set('webhook-status/status/t-1.json', { text: '{}', etag: '"x"' });
    await expect(createS3StatusStore(connection, BUCKET, 'webhook-status').get('t-1')).rejects.toMatchObject({
      name: 'StoreError', code: 'store_denied',
      message: expect.stringContaining(`s3:GetObject on arn:aws:s3:::${BUCKET}/webhook-status/status/*`),
    });
  });

  it('without any listing grant a 403 is store_denied naming s3:ListBucket, never a guess', async () => {
    const { connection } = open(withoutList, prefixListCounts);
    await expect(createS3StatusStore(connection, BUCKET, 'webhook-status').get('unknown')).rejects.toMatchObject({
      name: 'StoreError', code: 'store_denied', message: expect.stringContaining(`s3:ListBucket on arn:aws:s3:::${BUCKET}`),
    });
    await expect(createS3DoneSet(connection, BUCKET, 'webhook-status', { leaseMs: 1 }).has('k')).rejects.toMatchObject({ code: 'store_denied' });
  });

  it('a replace whose key was deleted meanwhile loses its race instead of failing', async () => {
    const { connection } = open(processorPolicy, prefixListCounts);
    const at = { bucket: BUCKET, key: 'webhook-status/status/gone.json' };
    expect(await writeTextIf(connection, at, '{}', { etag: '"e1"' })).toBe('lost');
  });
});

describe('the existence check', () => {
  it('is only sent after a 403, and lists exactly the key with one result', async () => {
    const { connection, mock } = open(processorPolicy, false);
    const at = { bucket: BUCKET, key: 'webhook-status/status/t-9.json' };
    expect(await readText(connection, at)).toBeUndefined();
    expect(mock.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input)).toEqual([{ Bucket: BUCKET, Prefix: at.key, MaxKeys: 1 }]);
    const counted = open(processorPolicy, true);
    expect(await readText(counted.connection, at)).toBeUndefined();
    expect(counted.mock.commandCalls(ListObjectsV2Command)).toHaveLength(0);
  });
});
