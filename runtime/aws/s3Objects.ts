/**
 * What the S3 stores need from S3, with its answers classified once: a read that tells a missing key from a missing
 * bucket and from a refusal, and conditional writes (`If-None-Match: *` creates, `If-Match: <ETag>` replaces) whose
 * lost race is a value, not an exception.
 *
 * A missing key is `NoSuchKey` (404) only when the caller may list the bucket: without `s3:ListBucket` S3 answers
 * 403 AccessDenied instead (documented on GetObject), which these helpers report as `store_denied` with that hint
 * rather than guess. (HeadObject is not used: its 404 has no body, so a missing bucket reads as a missing key.)
 */
import { CodedError } from '../codedError.ts';
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

/** The S3 failure as a StoreError that says what to do. */
export function storeError(error: unknown, action: string, at: Location): StoreError {
  if (error instanceof StoreError) return error;
  if (httpStatus(error) === 403 || errorName(error) === 'AccessDenied') {
    return new StoreError('store_denied', `S3 denied ${action} ${where(at)} (403). Without s3:ListBucket on the prefix S3 answers ` +
      '403 for a key that does not exist, too: grant the role s3:ListBucket with an s3:prefix condition (infra/policies does) ' +
      'and the object actions on the prefix', { cause: error });
  }
  return new StoreError('store_unavailable', `S3 ${action} ${where(at)} failed (${errorName(error)}: ${(error as Error).message}); ` +
    'check the bucket name, the region and the network', { cause: error });
}

/** A lost conditional write: 412 (the condition did not hold) or 409 (a concurrent conditional write won). */
const lostRace = (error: unknown): boolean =>
  ['PreconditionFailed', 'ConditionalRequestConflict'].includes(errorName(error)) || [409, 412].includes(httpStatus(error) ?? 0);

export interface StoredText {
  text: string;
  etag: string;
}

/** The object's text and ETag, or undefined when the key does not exist. */
export async function readText(s3: () => Promise<S3>, at: Location): Promise<StoredText | undefined> {
  const { sdk, client } = await s3();
  try {
    const object = await client.send(new sdk.GetObjectCommand({ Bucket: at.bucket, Key: at.key }));
    return { text: await object.Body!.transformToString(), etag: object.ETag ?? '' };
  } catch (error) {
    if (errorName(error) === 'NoSuchKey') return undefined;
    throw storeError(error, 'reading', at);
  }
}

/**
 * Writes `text` only if the key does not exist (`create`) or still has `etag` (replace). Resolves the new ETag, or
 * `lost` when another writer got there first.
 */
export async function writeTextIf(
  s3: () => Promise<S3>, at: Location, text: string, condition: 'create' | { etag: string }, contentType = 'application/json',
): Promise<string | 'lost'> {
  const { sdk, client } = await s3();
  try {
    const out = await client.send(new sdk.PutObjectCommand({
      Bucket: at.bucket, Key: at.key, Body: text, ContentType: contentType,
      ...(condition === 'create' ? { IfNoneMatch: '*' } : { IfMatch: condition.etag }),
    }));
    return out.ETag ?? '';
  } catch (error) {
    // A replace whose key was deleted meanwhile lost its race too (S3 answers NoSuchKey for If-Match on no object).
    if (lostRace(error) || (condition !== 'create' && errorName(error) === 'NoSuchKey')) return 'lost';
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
