/**
 * The Lambda processor's SQS path end to end on moto_server: the webhook ingress sends to SQS, an event-source
 * stand-in receives from it as Lambda's mapping does (real SQS receives, records handed to the real handler,
 * successes deleted, failures left to come back), and the status, answered keys and exports live in S3.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { createSqsHandler, sqsHandlerDeps } from '../../runtime/lambda/processor.ts';
import { createS3DoneSet, createS3StatusStore } from '../../runtime/lambda/s3Stores.ts';
import { createS3ExportSink } from '../../runtime/exports/s3Sink.ts';
import { createSqsQueue } from '../../runtime/queue/sqsQueue.ts';
import { testRuntime, jsonPost, API_KEY, type TestRuntime } from '../support/runtime.ts';
import { testManifest, webhookChannel } from '../support/manifest.ts';
import { scriptedEngine } from '../support/engines.ts';
import { startReceiver, type Receiver } from '../support/receiver.ts';
import { createBucket, createQueuePair, motoAbsent, motoEndpoint, s3Client, s3Connection, sqsClient } from './motoClients.ts';

const sqs = sqsClient();
const s3 = s3Client();

/** What Lambda's event source mapping does for one poll: receive, invoke, delete what did not fail. */
async function pollOnce(queueUrl: string, handler: ReturnType<typeof createSqsHandler>): Promise<number> {
  const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({
    QueueUrl: queueUrl, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['All'],
  }));
  const records = Messages.map((m): SQSRecord => ({
    messageId: m.MessageId!, receiptHandle: m.ReceiptHandle!, body: m.Body!, messageAttributes: {}, md5OfBody: m.MD5OfBody!,
    attributes: m.Attributes as unknown as SQSRecord['attributes'], eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:q', awsRegion: 'us-east-1',
  }));
  if (!records.length) return 0;
  const { batchItemFailures } = await handler({ Records: records } satisfies SQSEvent);
  for (const record of records) {
    if (!batchItemFailures.some((f) => f.itemIdentifier === record.messageId)) {
      await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: record.receiptHandle }));
    }
  }
  return records.length;
}

describe.skipIf(motoAbsent)('Lambda processor on SQS and S3 (moto_server)', () => {
  let receiver: Receiver;
  let runtime: TestRuntime;
  let urls: { queueUrl: string; deadLetterQueueUrl: string };
  let bucket: string;
  const saved = { ...process.env };

  const open = async (statusFor: (n: number) => number, engineDelayMs = 0) => {
    receiver = await startReceiver(statusFor);
    urls = await createQueuePair(sqs, { visibilityTimeoutSeconds: 1, maxReceives: 2 });
    bucket = await createBucket(s3);
    const channel = webhookChannel({ delivery: { attempts: 1, timeoutSeconds: 5 }, callbackAllow: [new URL('/hooks/', receiver.url).href] });
    const connection = s3Connection(s3);
    runtime = await testRuntime({
      manifest: testManifest(channel), engine: scriptedEngine({ delayMs: engineDelayMs }),
      env: {
        WEBHOOK_URL: receiver.url, REVOPS_QUEUE: 'sqs', REVOPS_QUEUE_URL_WEBHOOK: urls.queueUrl, REVOPS_QUEUE_URL_WEBHOOK_DLQ: urls.deadLetterQueueUrl,
        REVOPS_QUEUE_MAX_RECEIVES: '2', REVOPS_CHANNEL: 'webhook', AWS_REGION: 'us-east-1',
      },
      parts: {
        statusStore: (retention) => createS3StatusStore(connection, bucket, 'webhook-status', retention),
        done: createS3DoneSet(connection, bucket, 'webhook-status', { leaseMs: 60_000 }),
        exportSink: createS3ExportSink(s3, bucket, 'conversation-history'),
        backoff: { deliveryMs: () => 0 },
      },
    });
    return createSqsHandler(async () => sqsHandlerDeps(runtime));
  };
  const ask = async (): Promise<string> => {
    const res = await runtime.app.request('/webhook', jsonPost({ query: 'status of the IXIS deal', source_system: 'crm', source_process: 'review' }));
    expect(res.status).toBe(200);
    return ((await res.json()) as { tracking_id: string }).tracking_id;
  };
  const statusOf = async (id: string): Promise<Record<string, unknown>> =>
    (await (await runtime.app.request(`/webhook/${id}`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as Record<string, unknown>;

  beforeAll(() => {
    // The clients the runtime makes itself (the ingress's SQS queue, the handler's dead-letter move) find moto here.
    Object.assign(process.env, { AWS_ENDPOINT_URL: motoEndpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' });
  });
  afterAll(() => {
    for (const name of ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('a request whose delivery always fails reads failed with its error, is dead-lettered with it, counted and logged', async () => {
    const handler = await open(() => 500);
    try {
      const id = await ask();
      // Bounded: two receives are allowed, each failing; the visibility timeout (1 s) brings the message back.
      for (let round = 0; round < 6 && (await statusOf(id)).status !== 'failed'; round += 1) {
        if (await pollOnce(urls.queueUrl, handler) === 0) await new Promise((resolve) => setTimeout(resolve, 1_100));
      }
      const status = await statusOf(id);
      expect(status).toMatchObject({ status: 'failed', error: { code: 'delivery_failed' } });
      expect((status.error as { message: string }).message).toContain('HTTP 500');
      expect(receiver.deliveries.map((d) => d.status)).toEqual([500, 500]);
      const dead = await createSqsQueue({ client: sqs, ...urls, visibilityTimeoutSeconds: 1, maxReceives: 2 }).deadLetters();
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ receiveCount: 2, message: { webhook: { trackingId: id } } });
      expect(dead[0]!.lastError).toContain('HTTP 500');
      expect(runtime.logs.filter((line) => line.includes('message moved to the dead-letter queue'))).toHaveLength(1);
      const metrics = await (await runtime.app.request('/metrics')).text();
      expect(metrics).toMatch(/revops_messages_dead_lettered_total\{[^}]*\} 1/);
    } finally {
      await runtime.dispose();
      await receiver.close();
    }
  });

  it('two concurrent deliveries of one message produce one answer, one export (the second waits for it); a redelivery answers nothing', async () => {
    const handler = await open(() => 200, 300);
    try {
      const id = await ask();
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: urls.queueUrl, MessageSystemAttributeNames: ['All'] }));
      expect(Messages).toHaveLength(1);
      const record = {
        messageId: Messages[0]!.MessageId!, receiptHandle: Messages[0]!.ReceiptHandle!, body: Messages[0]!.Body!, messageAttributes: {},
        md5OfBody: '', attributes: { ApproximateReceiveCount: '1' }, eventSource: 'aws:sqs', eventSourceARN: 'arn', awsRegion: 'us-east-1',
      } as unknown as SQSRecord;
      const results = await Promise.all([handler({ Records: [record] }), handler({ Records: [record] })]);
      expect(results.map((r) => r.batchItemFailures.length)).toEqual([0, 0]);
      expect(receiver.accepted()).toHaveLength(1);
      expect((await statusOf(id)).status).toBe('done');
      expect(await handler({ Records: [{ ...record, attributes: { ...record.attributes, ApproximateReceiveCount: '2' } }] }))
        .toEqual({ batchItemFailures: [] });
      expect(receiver.accepted()).toHaveLength(1);
      const exports = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'conversation-history/' }));
      expect(exports.Contents?.filter((o) => o.Key!.endsWith('/conversation.json'))).toHaveLength(1);
    } finally {
      await runtime.dispose();
      await receiver.close();
    }
  });
});
