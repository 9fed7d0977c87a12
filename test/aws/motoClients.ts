/**
 * The real SDK clients pointed at the lane's moto_server (endpoint override, dummy credentials), and fresh queues
 * and buckets with unique names so test files share one server without sharing state.
 */
import { inject } from 'vitest';
import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import * as s3sdk from '../../runtime/aws/s3.ts';
import type { S3 } from '../../runtime/aws/s3Objects.ts';

export const motoEndpoint = inject('motoEndpoint');
/** For `describe.skipIf`: the reason is printed once by the lane's setup. */
export const motoAbsent = motoEndpoint === '';

const settings = () => ({
  endpoint: motoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});

export const sqsClient = (): SQSClient => new SQSClient(settings());
export const s3Client = (): S3Client => new S3Client({ ...settings(), forcePathStyle: true });
export const s3Connection = (client = s3Client()): (() => Promise<S3>) => async () => ({ sdk: s3sdk, client });

export const uniqueName = (stem: string): string => `${stem}-${randomUUID().slice(0, 8)}`;

/** A work queue and its dead-letter queue, joined by a redrive policy as infra/components/channelQueue.ts does. */
export async function createQueuePair(sqs: SQSClient, settings: { visibilityTimeoutSeconds: number; maxReceives: number }) {
  const name = uniqueName('revops');
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }));
  const queue = await sqs.send(new CreateQueueCommand({
    QueueName: name,
    Attributes: {
      VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: Attributes!.QueueArn, maxReceiveCount: settings.maxReceives }),
    },
  }));
  return { queueUrl: queue.QueueUrl!, deadLetterQueueUrl: dlq.QueueUrl! };
}

export async function createBucket(s3: S3Client): Promise<string> {
  const bucket = uniqueName('revops-test');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return bucket;
}
