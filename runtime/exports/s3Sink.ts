/**
 * Conversation exports in S3 (`s3://<bucket>/<prefix>/YYYY/MM/DD/<timestamp>-<id>/`), with the local sink's rule:
 * an existing export is never replaced, a second one with the same name gets a numbered sibling (`<folder>-2/`).
 * Every object is written with `If-None-Match: *` (S3 conditional writes); the first file (by name) claims the
 * folder, so of two writers racing for one name one moves on to the sibling.
 */
import * as sdk from '../aws/s3.ts';
import { StoreError, writeTextIf } from '../aws/s3Objects.ts';
import type { ExportSink } from './layout.ts';

/** As the local sink: at most this many siblings of one name. */
const MAX_SIBLINGS = 100;

export function createS3ExportSink(client: sdk.S3Client, bucket: string, prefix: string): ExportSink {
  const connection = async () => ({ sdk, client });
  return {
    async write(folder, files) {
      const [first, ...rest] = Object.entries(files).sort(([a], [b]) => a.localeCompare(b));
      if (!first) throw new StoreError('store_unavailable', `export ${folder}: no files to write`);
      for (let n = 1; n <= MAX_SIBLINGS; n += 1) {
        const base = `${prefix.replace(/\/+$/, '')}/${n === 1 ? folder : `${folder}-${n}`}`;
        const put = ([name, text]: [string, string]) => writeTextIf(connection, { bucket, key: `${base}/${name}` }, text, 'create');
        if (await put(first) === 'lost') continue;
        const written = await Promise.all(rest.map(put));
        if (written.includes('lost')) {
          throw new StoreError('store_conflict', `export s3://${bucket}/${base}/: another writer wrote files into the folder this one claimed`);
        }
        return `s3://${bucket}/${base}/`;
      }
      throw new StoreError('store_conflict', `export ${folder}: ${MAX_SIBLINGS} folders of that name exist already`);
    },
  };
}
