import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { createSqsQueue } from '../../../runtime/queue/sqsQueue.ts';
import { webhookMessage } from '../helpers/messages.ts';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());
const url = 'https://sqs.us-east-1.amazonaws.com/123456789012/revops-webhook';
const client = new SQSClient({ region: 'us-east-1' });

describe('SQS queue', () => {
  it('sends the message as JSON and maps receive, ack and release', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const message = webhookMessage();
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'm-1', ReceiptHandle: 'r-1', Body: JSON.stringify(message), Attributes: { ApproximateReceiveCount: '2' } }] });
    sqs.on(DeleteMessageCommand).resolves({});
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const queue = createSqsQueue({ client, queueUrl: url });
    expect(await queue.send(message)).toEqual({ messageId: 'm-1', duplicate: false });
    const sent = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(sent.QueueUrl).toBe(url);
    expect(JSON.parse(sent.MessageBody!)).toEqual(message);
    expect(sent.MessageGroupId).toBeUndefined();
    const [received] = await queue.receive({ max: 25, waitMs: 60_000 });
    expect(received).toMatchObject({ messageId: 'm-1', receiptHandle: 'r-1', receiveCount: 2, message });
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({ MaxNumberOfMessages: 10, WaitTimeSeconds: 20 });
    await queue.ack('r-1');
    await queue.release('r-1', { error: 'x', delayMs: 2500 });
    expect(sqs.commandCalls(DeleteMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: url, ReceiptHandle: 'r-1' });
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input).toMatchObject({ ReceiptHandle: 'r-1', VisibilityTimeout: 3 });
  });

  it('dedupes by dedupeKey on FIFO queues', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-2' });
    const queue = createSqsQueue({ client, queueUrl: `${url}.fifo` });
    const message = webhookMessage();
    await queue.send(message);
    await queue.send({ ...message, id: 'another' });
    const [a, b] = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(a!.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(a!.MessageDeduplicationId).toBe(b!.MessageDeduplicationId);
    expect(a!.MessageGroupId).toBe(message.sessionId);
  });

  it('hashes a session key too long for a FIFO group id (128 characters)', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-3' });
    const queue = createSqsQueue({ client, queueUrl: `${url}.fifo` });
    const longest = webhookMessage({ sessionId: 'k'.repeat(128) });
    const longer = webhookMessage({ sessionId: 'k'.repeat(129) });
    await queue.send(longest);
    await queue.send(longer);
    const [a, b] = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(a!.MessageGroupId).toBe(longest.sessionId);
    expect(b!.MessageGroupId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reports a failed send with a stable code', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('throttled'));
    await expect(createSqsQueue({ client, queueUrl: url }).send(webhookMessage())).rejects.toMatchObject({ code: 'send_failed' });
  });

  it('counts messages and dead letters from queue attributes', async () => {
    sqs.on(GetQueueAttributesCommand, { QueueUrl: url }).resolves({ Attributes: { ApproximateNumberOfMessages: '4', ApproximateNumberOfMessagesNotVisible: '1' } });
    sqs.on(GetQueueAttributesCommand, { QueueUrl: `${url}-dlq` }).resolves({ Attributes: { ApproximateNumberOfMessages: '2' } });
    const queue = createSqsQueue({ client, queueUrl: url, deadLetterQueueUrl: `${url}-dlq` });
    expect(await queue.stats()).toEqual({ visible: 4, inFlight: 1, deadLettered: 2 });
  });
});
