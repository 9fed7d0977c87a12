import { afterEach, describe, expect, it } from 'vitest';
import { mockClient } from 'aws-sdk-client-mock';
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient,
} from '@aws-sdk/client-sqs';
import { createSqsQueue } from '../../../runtime/queue/sqsQueue.ts';
import { webhookMessage } from '../../support/messages.ts';

const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());
const url = 'https://sqs.us-east-1.amazonaws.com/123456789012/revops-webhook';
const client = new SQSClient({ region: 'us-east-1' });
const settings = { client, visibilityTimeoutSeconds: 30, maxReceives: 3 };

describe('SQS queue', () => {
  it('sends the message as JSON and maps receive, ack and release', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const message = webhookMessage();
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'm-1', ReceiptHandle: 'r-1', Body: JSON.stringify(message), Attributes: { ApproximateReceiveCount: '2' } }] });
    sqs.on(DeleteMessageCommand).resolves({});
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const queue = createSqsQueue({ ...settings, queueUrl: url });
    expect(await queue.send(message)).toEqual({ messageId: 'm-1', duplicate: false, duplicateKnown: false });
    const sent = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(sent.QueueUrl).toBe(url);
    expect(JSON.parse(sent.MessageBody!)).toEqual(message);
    expect(sent.MessageGroupId).toBeUndefined();
    const [received] = await queue.receive({ max: 25, waitMs: 60_000 });
    expect(received).toMatchObject({ messageId: 'm-1', receiptHandle: 'r-1', receiveCount: 2, message });
    expect(sqs.commandCalls(ReceiveMessageCommand)[0]!.args[0].input).toMatchObject({ MaxNumberOfMessages: 10, WaitTimeSeconds: 20, VisibilityTimeout: 30 });
    await queue.ack('r-1');
    await queue.receive({ max: 1 });
    await queue.release('r-1', { error: 'x', delayMs: 2500 });
    expect(sqs.commandCalls(DeleteMessageCommand)[0]!.args[0].input).toEqual({ QueueUrl: url, ReceiptHandle: 'r-1' });
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input).toMatchObject({ ReceiptHandle: 'r-1', VisibilityTimeout: 3 });
  });

  it('dedupes by dedupeKey on FIFO queues; a repeat it sent itself is a known duplicate, any other send is not known', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-2' });
    const queue = createSqsQueue({ ...settings, queueUrl: `${url}.fifo` });
    const message = webhookMessage();
    expect(await queue.send(message)).toEqual({ messageId: 'm-2', duplicate: false, duplicateKnown: false });
    expect(await queue.send({ ...message, id: 'another' })).toEqual({ messageId: 'm-2', duplicate: true, duplicateKnown: true });
    // Another producer (a second queue object) sending the same key: SQS drops it without saying so.
    expect(await createSqsQueue({ ...settings, queueUrl: `${url}.fifo` }).send(message)).toMatchObject({ duplicate: false, duplicateKnown: false });
    const [a, b] = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(a!.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(a!.MessageDeduplicationId).toBe(b!.MessageDeduplicationId);
    expect(a!.MessageGroupId).toBe(message.sessionId);
  });

  it('rounds waits and delays up to whole seconds, never down', async () => {
    const message = webhookMessage();
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'm-1', ReceiptHandle: 'r-1', Body: JSON.stringify(message) }] });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const queue = createSqsQueue({ ...settings, queueUrl: url });
    await queue.receive({ max: 1, waitMs: 1 });
    await queue.release('r-1', { error: 'x', delayMs: 1 });
    await queue.receive({ max: 1, waitMs: 1_500 });
    await queue.release('r-1', { error: 'x', delayMs: 1_001 });
    expect(sqs.commandCalls(ReceiveMessageCommand).map((c) => c.args[0].input.WaitTimeSeconds)).toEqual([1, 2]);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input.VisibilityTimeout)).toEqual([1, 2]);
  });

  it('surfaces SDK failures as QueueError codes', async () => {
    const refused = Object.assign(new Error('The specified queue does not exist.'), { name: 'QueueDoesNotExist' });
    sqs.on(ReceiveMessageCommand).rejectsOnce(refused)
      .resolves({ Messages: [{ MessageId: 'm-1', ReceiptHandle: 'r-1', Body: JSON.stringify(webhookMessage()) }] });
    sqs.on(GetQueueAttributesCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
    sqs.on(DeleteMessageCommand).rejects(Object.assign(new Error('The input receipt handle is invalid.'), { name: 'ReceiptHandleIsInvalid' }));
    const queue = createSqsQueue({ ...settings, queueUrl: url });
    await expect(queue.receive({ max: 1 })).rejects.toMatchObject({ name: 'QueueError', code: 'queue_unavailable', cause: refused });
    await expect(queue.stats()).rejects.toMatchObject({ name: 'QueueError', code: 'queue_unavailable' });
    await queue.receive({ max: 1 });
    await expect(queue.ack('r-1')).rejects.toMatchObject({ name: 'QueueError', code: 'unknown_receipt' });
    await expect(queue.ack('never-received')).rejects.toMatchObject({ code: 'unknown_receipt' });
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(1);
  });

  it('a body that is not an InboundMessage is message_malformed', async () => {
    sqs.on(ReceiveMessageCommand).resolves({ Messages: [{ MessageId: 'm-1', ReceiptHandle: 'r-1', Body: 'not json' }] });
    await expect(createSqsQueue({ ...settings, queueUrl: url }).receive({ max: 1 })).rejects.toMatchObject({ code: 'message_malformed' });
  });

  it('hashes a session key too long for a FIFO group id (128 characters)', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-3' });
    const queue = createSqsQueue({ ...settings, queueUrl: `${url}.fifo` });
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
    await expect(createSqsQueue({ ...settings, queueUrl: url }).send(webhookMessage())).rejects.toMatchObject({ code: 'send_failed' });
  });

  it('counts messages and dead letters from queue attributes', async () => {
    sqs.on(GetQueueAttributesCommand, { QueueUrl: url }).resolves({ Attributes: { ApproximateNumberOfMessages: '4', ApproximateNumberOfMessagesNotVisible: '1' } });
    sqs.on(GetQueueAttributesCommand, { QueueUrl: `${url}-dlq` }).resolves({ Attributes: { ApproximateNumberOfMessages: '2' } });
    const queue = createSqsQueue({ ...settings, queueUrl: url, deadLetterQueueUrl: `${url}-dlq` });
    expect(await queue.stats()).toEqual({ visible: 4, inFlight: 1, deadLettered: 2 });
  });
});
