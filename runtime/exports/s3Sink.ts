/**
 * Conversation exports in S3 (`s3://<bucket>/<prefix>/YYYY/MM/DD/<timestamp>-<id>/`). Objects are written with
 * `If-None-Match: *` (S3 conditional writes), so an export never replaces an existing one; each PutObject is atomic.
 */
import { PutObjectCommand, type S3Client } from '../aws/s3.ts';
import type { ExportSink } from './layout.ts';

export function createS3ExportSink(client: S3Client, bucket: string, prefix: string): ExportSink {
  return {
    async write(folder, files) {
      const base = `${prefix.replace(/\/+$/, '')}/${folder}`;
      await Promise.all(Object.entries(files).map(([name, text]) => client.send(new PutObjectCommand({
        Bucket: bucket, Key: `${base}/${name}`, Body: text, ContentType: 'application/json', IfNoneMatch: '*',
      }))));
      return `s3://${bucket}/${base}/`;
    },
  };
}
