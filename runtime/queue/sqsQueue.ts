/**
 * The MessageQueue over Amazon SQS (AWS deployments). Visibility timeout, receive counts, the redrive policy's
 * dead-letter queue and retention are SQS's own, configured by infra from the channel spec; this adapter only maps
 * the calls. Standard queues cannot reject duplicates at send time, so `duplicate` is reported only for FIFO queues
 * (content deduplication by dedupeKey, 5-minute window); the processor's done-set still answers each key once.
 */
import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { InboundMessage } from '../processing/inbound.ts';
import { QueueError, type DeadLetter, type MessageQueue, type ReceivedMessage } from './queue.ts';

export interface SqsQueueOptions {
  client: SQSClient;
  queueUrl: string;
  /** The redrive target, for `deadLetters()` and `stats()`; optional. */
  deadLetterQueueUrl?: string;
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** A FIFO group id holds at most 128 characters; a longer session key (a webhook caller's long session id) is hashed. */
const groupId = (sessionKey: string): string => (sessionKey.length <= 128 ? sessionKey : sha256(sessionKey));

export function createSqsQueue(options: SqsQueueOptions): MessageQueue {
  const { client, queueUrl } = options;
  const fifo = queueUrl.endsWith('.fifo');
  const parse = (body: string | undefined): InboundMessage => {
    try {
      return JSON.parse(body ?? '') as InboundMessage;
    } catch (cause) {
      throw new QueueError('journal_corrupt', `an SQS message on ${queueUrl} is not an InboundMessage JSON body; move it off the queue by hand`, { cause });
    }
  };
  const count = async (url: string, names: Array<'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible'>) => {
    const { Attributes = {} } = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }));
    return names.map((n) => Number(Attributes[n] ?? 0));
  };

  return {
    async send(message) {
      try {
        const out = await client.send(new SendMessageCommand({
          QueueUrl: queueUrl, MessageBody: JSON.stringify(message),
          MessageAttributes: { channel: { DataType: 'String', StringValue: message.channel } },
          ...(fifo ? { MessageGroupId: groupId(message.sessionId), MessageDeduplicationId: sha256(message.dedupeKey) } : {}),
        }));
        return { messageId: out.MessageId ?? message.id, duplicate: false };
      } catch (cause) {
        throw new QueueError('send_failed', `SQS SendMessage to ${queueUrl} failed; the request was not accepted, the caller should retry`, { cause });
      }
    },
    async receive({ max, waitMs = 0 }) {
      const out = await client.send(new ReceiveMessageCommand({
        QueueUrl: queueUrl, MaxNumberOfMessages: Math.min(10, Math.max(1, max)), WaitTimeSeconds: Math.min(20, Math.floor(waitMs / 1000)),
        MessageSystemAttributeNames: ['ApproximateReceiveCount'],
      }));
      return (out.Messages ?? []).map((m): ReceivedMessage => ({
        messageId: m.MessageId ?? '', receiptHandle: m.ReceiptHandle ?? '', message: parse(m.Body),
        receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
      }));
    },
    async ack(receiptHandle) {
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }));
    },
    async release(receiptHandle, failure) {
      await client.send(new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: Math.ceil((failure.delayMs ?? 0) / 1000),
      }));
    },
    async deadLetters(): Promise<DeadLetter[]> {
      if (!options.deadLetterQueueUrl) return [];
      // Peek: VisibilityTimeout 0 leaves the messages where they are.
      const out = await client.send(new ReceiveMessageCommand({
        QueueUrl: options.deadLetterQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0,
        MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
      }));
      return (out.Messages ?? []).map((m) => ({
        messageId: m.MessageId ?? '', message: parse(m.Body), receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 0),
        deadLetteredAt: new Date(Number(m.Attributes?.SentTimestamp ?? 0)).toISOString(),
      }));
    },
    async stats() {
      const [visible = 0, inFlight = 0] = await count(queueUrl, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
      const [deadLettered = 0] = options.deadLetterQueueUrl ? await count(options.deadLetterQueueUrl, ['ApproximateNumberOfMessages']) : [0];
      return { visible, inFlight, deadLettered };
    },
    async close() {},
  };
}
