/**
 * S3 as a role sees it, behind the real SDK client (aws-sdk-client-mock): objects in memory, every request checked
 * against an IAM policy document (Allow statements, `*` globs, `StringLike` on `s3:prefix`), and a missing key
 * answered the way real S3 does — 404 `NoSuchKey` only when the role may list it, 403 `AccessDenied` otherwise
 * (GetObject documentation). Whether S3 counts a ListBucket grant conditioned on `s3:prefix` for that choice is not
 * documented, so the stand-in does either (`prefixListCounts`): the stores must work both ways. Neither moto_server
 * nor a plain mock answers 403 for anything.
 */
import { mockClient } from 'aws-sdk-client-mock';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import type { PolicyDocument } from '../../infra/policies/documents.ts';

export interface S3PolicyStandInOptions {
  bucket: string;
  policy: PolicyDocument;
  /** true: a prefix-conditioned ListBucket grant covering the key turns S3's 403 for a missing key into 404. */
  prefixListCounts: boolean;
}

const glob = (pattern: string): RegExp =>
  new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'u');

const s3Error = (name: string, status: number, message: string) =>
  new S3ServiceException({ name, $fault: 'client', message, $metadata: { httpStatusCode: status } });

export function s3PolicyStandIn(options: S3PolicyStandInOptions) {
  const objects = new Map<string, { text: string; etag: string }>();
  let version = 0;
  const allowed = (action: string, resource: string, prefix?: string): boolean => options.policy.Statement.some((s) =>
    s.Effect === 'Allow' && s.Action.includes(action) && (s.Resource ?? []).some((r) => glob(r).test(resource)) &&
    Object.entries(s.Condition ?? {}).every(([operator, conditions]) => operator === 'StringLike' &&
      Object.entries(conditions).every(([key, values]) => key === 's3:prefix' && prefix !== undefined &&
        [values].flat().some((v) => glob(v).test(prefix)))));
  const bucketArn = `arn:aws:s3:::${options.bucket}`;
  const objectArn = (key: string) => `${bucketArn}/${key}`;
  const mayList = (prefix: string) => allowed('s3:ListBucket', bucketArn, prefix);
  const missing = (key: string) => (options.prefixListCounts ? mayList(key) : allowed('s3:ListBucket', bucketArn))
    ? s3Error('NoSuchKey', 404, 'The specified key does not exist.') : s3Error('AccessDenied', 403, 'Access Denied');
  const denied = () => s3Error('AccessDenied', 403, 'Access Denied');

  const mock = mockClient(S3Client);
  mock.on(GetObjectCommand).callsFake(async ({ Key }: { Key: string }) => {
    if (!allowed('s3:GetObject', objectArn(Key))) throw denied();
    const object = objects.get(Key);
    if (!object) throw missing(Key);
    return { Body: { transformToString: async () => object.text }, ETag: object.etag };
  });
  mock.on(ListObjectsV2Command).callsFake(async ({ Prefix = '', MaxKeys = 1000 }: { Prefix?: string; MaxKeys?: number }) => {
    if (!mayList(Prefix)) throw denied();
    const keys = [...objects.keys()].filter((k) => k.startsWith(Prefix)).sort().slice(0, MaxKeys);
    return { Contents: keys.map((Key) => ({ Key })), KeyCount: keys.length, IsTruncated: false };
  });
  mock.on(PutObjectCommand).callsFake(async ({ Key, Body, IfNoneMatch, IfMatch }: { Key: string; Body: string; IfNoneMatch?: string; IfMatch?: string }) => {
    if (!allowed('s3:PutObject', objectArn(Key))) throw denied();
    const current = objects.get(Key);
    if (IfNoneMatch === '*' && current) throw s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold');
    if (IfMatch !== undefined && !current) throw missing(Key);
    if (IfMatch !== undefined && current!.etag !== IfMatch) throw s3Error('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold');
    version += 1;
    const etag = `"e${version}"`;
    objects.set(Key, { text: Body, etag });
    return { ETag: etag };
  });
  return { mock, objects, client: new S3Client({ region: 'us-east-1' }) };
}
