/**
 * What the S3 stores need from S3, with its answers classified once: a read that tells a missing key from a missing
 * bucket and from a refusal, and conditional writes (`If-None-Match: *` creates, `If-Match: <ETag>` replaces) whose
 * lost race is a value, not an exception.
 *
 * A missing key is `NoSuchKey` (404) only when the caller may list it: without `s3:ListBucket` S3 answers 403
 * AccessDenied instead (documented on GetObject and HeadObject). The roles get `s3:ListBucket` limited by an
 * `s3:prefix` condition to their prefixes (infra/policies); whether S3 weighs such a grant when it picks 403 or 404
 * for a GetObject is not documented, so a 403 is not taken as an answer: the key is looked up with
 * `ListObjectsV2 {Prefix: key, MaxKeys: 1}`, which that grant allows. Not listed: the key is missing. Listed: it is
 * read once more (it may have been written meanwhile), and a second 403 is a refusal of `s3:GetObject`. The listing
 * refused too: `store_denied` naming `s3:ListBucket`. (HeadObject is not used: its 404 has no body, so a missing
 * bucket reads as a missing key.)
 */
import { CodedError } from '../../compiler/codedError.ts';
import type { S3Client } from './s3.ts';

export interface S3 {
  sdk: typeof import('./s3.ts');
  client: S3Client;
}

/** `store_denied`: S3 answered 403; `store_unavailable`: any other failure (missing bucket, network, throttling). */
export type StoreErrorCode = 'store_denied' | 'store_unavailable' | 'store_conflict';

export class StoreError extends CodedError<StoreErrorCode> {
  override readonly name = 'StoreError';
}

export interface Location {
  bucket: string;
  key: string;
}

const where = ({ bucket, key }: Location): string => `s3://${bucket}/${key}`;
const errorName = (error: unknown): string => (error as { name?: string }).name ?? 'Error';
const httpStatus = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

const denied = (error: unknown): boolean => httpStatus(error) === 403 || errorName(error) === 'AccessDenied';
const bucketArn = ({ bucket }: Location): string => `arn:aws:s3:::${bucket}`;

/** The S3 failure as a StoreError that says what to do. */
export function storeError(error: unknown, action: string, at: Location): StoreError {
  if (error instanceof StoreError) return error;
  if (denied(error)) {
    return new StoreError('store_denied', `S3 denied ${action} ${where(at)} (403): grant the role the object action on the prefix ` +
      `and s3:ListBucket on ${bucketArn(at)} with an s3:prefix condition covering it (infra/policies does)`, { cause: error });
  }
  return new StoreError('store_unavailable', `S3 ${action} ${where(at)} failed (${errorName(error)}: ${(error as Error).message}); ` +
    'check the bucket name, the region and the network', { cause: error });
}

/**
 * Whether the key exists, by listing it (what a prefix-limited `s3:ListBucket` allows): the one way to read a 403
 * from GetObject, which S3 also sends for a missing key. The first key at or after a prefix is the prefix itself
 * when it exists, so one key answers.
 */
async function listed(s3: S3, at: Location, action: string, refused: unknown): Promise<boolean> {
  try {
    const page = await s3.client.send(new s3.sdk.ListObjectsV2Command({ Bucket: at.bucket, Prefix: at.key, MaxKeys: 1 }));
    return page.Contents?.[0]?.Key === at.key;
  } catch (error) {
    if (!denied(error)) throw storeError(error, 'listing', at);
    throw new StoreError('store_denied', `S3 denied ${action} ${where(at)} and listing it (403 both): without s3:ListBucket S3 answers ` +
      `403 for a missing key too; grant the role s3:ListBucket on ${bucketArn(at)} with an s3:prefix condition covering ` +
      `'${at.key}' (infra/policies does) and the object action on the prefix`, { cause: refused });
  }
}

const refusedRead = (error: unknown, at: Location): StoreError =>
  new StoreError('store_denied', `S3 denied reading ${where(at)} (403), and the key exists: grant the role s3:GetObject on ` +
    `${bucketArn(at)}/${at.key.slice(0, at.key.lastIndexOf('/') + 1)}*`, { cause: error });

/** A lost conditional write: 412 (the condition did not hold) or 409 (a concurrent conditional write won). */
const lostRace = (error: unknown): boolean =>
  ['PreconditionFailed', 'ConditionalRequestConflict'].includes(errorName(error)) || [409, 412].includes(httpStatus(error) ?? 0);

export interface StoredText {
  text: string;
  etag: string;
}

/** The object's text and ETag, or undefined when the key does not exist. */
export async function readText(s3: () => Promise<S3>, at: Location): Promise<StoredText | undefined> {
  const connection = await s3();
  const get = async (): Promise<StoredText> => {
    const object = await connection.client.send(new connection.sdk.GetObjectCommand({ Bucket: at.bucket, Key: at.key }));
    return { text: await object.Body!.transformToString(), etag: object.ETag ?? '' };
  };
  try {
    return await get();
  } catch (error) {
    if (errorName(error) === 'NoSuchKey') return undefined;
    if (!denied(error)) throw storeError(error, 'reading', at);
    if (!await listed(connection, at, 'reading', error)) return undefined;
    try {
      return await get();
    } catch (again) {
      if (errorName(again) === 'NoSuchKey') return undefined; // deleted since the listing
      throw denied(again) ? refusedRead(again, at) : storeError(again, 'reading', at);
    }
  }
}

/**
 * Writes `text` only if the key does not exist (`create`) or still has `etag` (replace). Resolves the new ETag, or
 * `lost` when another writer got there first.
 */
export async function writeTextIf(
  s3: () => Promise<S3>, at: Location, text: string, condition: 'create' | { etag: string }, contentType = 'application/json',
): Promise<string | 'lost'> {
  const connection = await s3();
  const { sdk, client } = connection;
  try {
    const out = await client.send(new sdk.PutObjectCommand({
      Bucket: at.bucket, Key: at.key, Body: text, ContentType: contentType,
      ...(condition === 'create' ? { IfNoneMatch: '*' } : { IfMatch: condition.etag }),
    }));
    return out.ETag ?? '';
  } catch (error) {
    if (lostRace(error)) return 'lost';
    if (condition !== 'create') {
      // A replace whose key was deleted meanwhile lost its race too: S3 answers NoSuchKey for If-Match on no object,
      // or, like a read, possibly 403 when it does not count the prefix-limited listing grant.
      if (errorName(error) === 'NoSuchKey') return 'lost';
      if (denied(error) && !await listed(connection, at, 'writing', error)) return 'lost';
    }
    throw storeError(error, 'writing', at);
  }
}

/** Writes `text` whatever is there. */
export async function writeText(s3: () => Promise<S3>, at: Location, text: string): Promise<void> {
  const { sdk, client } = await s3();
  try {
    await client.send(new sdk.PutObjectCommand({ Bucket: at.bucket, Key: at.key, Body: text, ContentType: 'application/json' }));
  } catch (error) {
    throw storeError(error, 'writing', at);
  }
}
