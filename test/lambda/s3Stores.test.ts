/**
 * Real S3 answers 403 AccessDenied, not 404, for a key that does not exist when the caller may not list the bucket
 * (GetObject/HeadObject documentation). Neither moto_server nor a mock does unless told, so this reproduces it at
 * the SDK boundary: the stores create new records and claims without reading first (reads of missing keys, and the
 * policy they run under, are s3MissingKeys.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import * as sdk from '../../runtime/aws/s3.ts';
import { createS3DoneSet, createS3StatusStore } from '../../runtime/lambda/s3Stores.ts';

const s3 = mockClient(S3Client);
afterEach(() => s3.reset());
const connection = async () => ({ sdk, client: new S3Client({ region: 'us-east-1' }) });

/** What S3 sends for a missing key to a role without s3:ListBucket. */
const accessDenied = () => new S3ServiceException({
  name: 'AccessDenied', $fault: 'client', message: 'Access Denied', $metadata: { httpStatusCode: 403 },
});

describe('S3 stores when S3 answers 403 for a missing key', () => {
  it('the first status write creates the record without reading it', async () => {
    s3.on(GetObjectCommand).rejects(accessDenied());
    s3.on(HeadObjectCommand).rejects(accessDenied());
    s3.on(PutObjectCommand).resolves({ ETag: '"e1"' });
    await createS3StatusStore(connection, 'bucket', 'webhook-status').update('t-1', { status: 'queued', updated_at: '2026-01-15T10:00:00.000Z' });
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ Key: 'webhook-status/status/t-1.json', IfNoneMatch: '*' });
    expect(JSON.parse(put.Body as string)).toMatchObject({ tracking_id: 't-1', status: 'queued' });
  });

  it('a claim of a new key needs no read', async () => {
    s3.on(GetObjectCommand).rejects(accessDenied());
    s3.on(PutObjectCommand).resolves({ ETag: '"e1"' });
    const done = createS3DoneSet(connection, 'bucket', 'webhook-status', { leaseMs: 60_000 });
    expect((await done.claim('k-1')).status).toBe('claimed');
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)[0]!.args[0].input).toMatchObject({ Key: 'webhook-status/done/k-1', IfNoneMatch: '*' });
  });
});
