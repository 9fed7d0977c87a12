/**
 * The ingress side of an SQS queue on Lambda: `send` only. Receiving, acking and releasing belong to the SQS event
 * source mapping that invokes the processor adapter, so those calls fail loudly here instead of half-working.
 * SQS standard queues do not deduplicate; the processor's done set answers each dedupe key once.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { QueueError, type MessageQueue } from '../queue/index.ts';

export function createSqsSendQueue(client: SQSClient, queueUrl: string): MessageQueue {
  const notHere = async (): Promise<never> => {
    throw new QueueError('queue_closed', 'on Lambda the SQS event source mapping receives messages; only send is available');
  };
  return {
    async send(message) {
      try {
        const sent = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify(message) }));
        return { messageId: sent.MessageId ?? message.id, duplicate: false };
      } catch (cause) {
        throw new QueueError('send_failed', `SQS SendMessage to ${queueUrl} failed; the request was not accepted`, { cause });
      }
    },
    receive: notHere,
    ack: notHere,
    release: notHere,
    deadLetters: async () => [],
    stats: async () => ({ visible: 0, inFlight: 0, deadLettered: 0 }),
    close: async () => undefined,
  };
}
