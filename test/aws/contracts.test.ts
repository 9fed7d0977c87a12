/**
 * Every contract suite against the AWS implementations on moto_server, with the real SDK clients: the same suites
 * test/contracts/embedded.test.ts runs against the embedded ones.
 */
import { describe } from 'vitest';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { createSqsQueue } from '../../runtime/queue/sqsQueue.ts';
import type { DeadLetter } from '../../runtime/queue/queue.ts';
import { createS3DoneSet, createS3StatusStore } from '../../runtime/lambda/s3Stores.ts';
import { createS3ExportSink } from '../../runtime/exports/s3Sink.ts';
import { describeQueueContract } from '../contracts/queueContract.ts';
import { describeStatusStoreContract } from '../contracts/statusStoreContract.ts';
import { describeDoneSetContract } from '../contracts/doneSetContract.ts';
import { describeExportSinkContract } from '../contracts/exportSinkContract.ts';
import { createBucket, createQueuePair, motoAbsent, s3Client, s3Connection, sqsClient } from './motoClients.ts';

describe.skipIf(motoAbsent)('AWS implementations on moto_server', () => {
  const sqs = sqsClient();
  const s3 = s3Client();

  describeQueueContract('SQS queue', {
    async open(settings) {
      const deadLettered: DeadLetter[] = [];
      const urls = await createQueuePair(sqs, settings);
      const queue = createSqsQueue({ client: sqs, ...urls, ...settings, onDeadLetter: (dead) => deadLettered.push(dead) });
      return { queue, deadLettered };
    },
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  });

  describeStatusStoreContract('S3 status store', { open: async () => createS3StatusStore(s3Connection(s3), await createBucket(s3), 'webhook-status') });

  describeDoneSetContract('S3 done-set', {
    open: async () => createS3DoneSet(s3Connection(s3), await createBucket(s3), 'webhook-status', { leaseMs: 60_000 }),
  });

  describeExportSinkContract('S3 sink', {
    open: async () => createS3ExportSink(s3, await createBucket(s3), 'conversation-history'),
    async read(location, name) {
      const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(location)!;
      const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: `${key!.replace(/\/$/, '')}/${name}` }));
      return object.Body!.transformToString();
    },
  });
});
