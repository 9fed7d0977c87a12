/**
 * Lambda entry for the SQS event source: each record's body is one InboundMessage; the attempt number is SQS's
 * ApproximateReceiveCount. Failed records are reported as `batchItemFailures` (the mapping enables
 * ReportBatchItemFailures), so one bad message is retried — and dead-lettered after 3 receives — alone.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Logger } from '../logging/logger.ts';
import type { InboundMessage } from '../processing/inbound.ts';
import type { Processor } from '../processing/processor.ts';
import { createLambdaRuntime } from './lambdaRuntime.ts';
import { once } from '../once.ts';

export function createSqsHandler(load: () => Promise<{ processor: Processor; logger: Logger }>) {
  return async function processQueue(event: SQSEvent): Promise<SQSBatchResponse> {
    const { processor, logger } = await load();
    const failures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
      try {
        await processor.process(JSON.parse(record.body) as InboundMessage, attempt);
      } catch (error) {
        logger.error('message failed; SQS will redeliver it alone', { sqs_message_id: record.messageId, attempt, error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

const runtime = once(() => createLambdaRuntime(process.env, 'processor'));
export const handler = createSqsHandler(runtime);
