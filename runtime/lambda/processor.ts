/**
 * Lambda entry for the SQS event source: each record's body is one InboundMessage; the attempt number is SQS's
 * ApproximateReceiveCount. Failed records are reported as `batchItemFailures` (the mapping enables
 * ReportBatchItemFailures), so one bad message is retried alone. The event source mapping, not a MessageQueue,
 * receives here, so the last receive is recognised here: a failure when the count reaches the queue's
 * maxReceiveCount (REVOPS_QUEUE_MAX_RECEIVES, set by infra from the redrive policy) moves the message to the
 * dead-letter queue with its error (as the SQS queue's `release` does) and reports it like every queue does — the
 * webhook request reads `failed` with the error, `MessagesDeadLettered` and the error log. SQS's redrive still
 * moves it should the move itself fail.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { queueUrlVariable } from '../../compiler/manifest.ts';
import type { Logger } from '../logging/logger.ts';
import type { InboundMessage } from '../processing/inbound.ts';
import type { Processor } from '../processing/processor.ts';
import type { DeadLetter } from '../queue/queue.ts';
import type { ProcessingRuntime } from '../wiring.ts';
import { createLambdaRuntime } from './lambdaRuntime.ts';
import { once } from '../once.ts';

export interface SqsHandlerDeps {
  processor: Processor;
  logger: Logger;
  /** The receive whose failure dead-letters the message; without it SQS's redrive alone does, unreported. */
  maxReceives?: number;
  /** Moves the message to the dead-letter queue (false when it could not) and reports it. */
  deadLetter?: (dead: DeadLetter & { deadLetteredAt: string }) => Promise<boolean>;
}

export function createSqsHandler(load: () => Promise<SqsHandlerDeps>) {
  return async function processQueue(event: SQSEvent): Promise<SQSBatchResponse> {
    const { processor, logger, maxReceives, deadLetter } = await load();
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
      let message: InboundMessage | undefined;
      try {
        message = JSON.parse(record.body) as InboundMessage;
        await processor.process(message, attempt);
      } catch (error) {
        const lastError = error instanceof Error ? error.message : String(error);
        if (message && deadLetter && maxReceives !== undefined && attempt >= maxReceives) {
          const moved = await deadLetter({
            messageId: record.messageId, message, receiveCount: attempt, lastError, deadLetteredAt: new Date().toISOString(),
          });
          if (moved) continue;
        }
        logger.error('message failed; SQS will redeliver it alone', { sqs_message_id: record.messageId, attempt, error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

/** The handler's dependencies from the runtime: this function's channel, its dead-letter queue and the SQS client. */
export function sqsHandlerDeps(runtime: ProcessingRuntime): SqsHandlerDeps {
  const { config, logger } = runtime;
  const channel = runtime.manifest.channels.find((c) => c.name === config.channel) ?? runtime.manifest.channels[0];
  if (!channel) return { processor: runtime.processor, logger };
  const deadLetterQueueUrl = config.queue.urls[`${queueUrlVariable(channel.name)}_DLQ`];
  const client = once(async () => {
    const [{ SQSClient }, { deadLetterMessage }] = await Promise.all([import('../aws/sqs.ts'), import('../queue/sqsQueue.ts')]);
    return { sqs: new SQSClient({ ...(config.awsRegion ? { region: config.awsRegion } : {}) }), deadLetterMessage };
  });
  return {
    processor: runtime.processor, logger,
    maxReceives: config.queue.maxReceives ?? channel.queue.maxReceives,
    async deadLetter(dead) {
      let moved = false;
      if (deadLetterQueueUrl) {
        try {
          const { sqs, deadLetterMessage } = await client();
          await sqs.send(deadLetterMessage(deadLetterQueueUrl, dead));
          moved = true;
        } catch (error) {
          logger.error('moving the message to the dead-letter queue failed; SQS redrive will move it', { sqs_message_id: dead.messageId, error });
        }
      }
      await runtime.deadLettered(channel.name, dead);
      return moved;
    },
  };
}

const runtime = once(async () => sqsHandlerDeps(await createLambdaRuntime(process.env, 'processor')));
export const handler = createSqsHandler(runtime);
