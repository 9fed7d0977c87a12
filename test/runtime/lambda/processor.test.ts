import { readFileSync } from 'node:fs';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../runtime/logging/logger.ts';
import type { InboundMessage } from '../../../runtime/processing/inbound.ts';
import { createSqsHandler } from '../../../runtime/lambda/processor.ts';

const fixture = (): SQSEvent => JSON.parse(readFileSync(new URL('./fixtures/sqs-event.json', import.meta.url), 'utf8')) as SQSEvent;

const message = (id: string): InboundMessage => ({
  kind: 'webhook', id, dedupeKey: id, channel: 'webhook', agent: 'manager', text: 'status of IXIS', sessionId: id,
  receivedAt: '2025-08-16T16:30:05.000Z', webhook: { trackingId: id, sessionId: id, sourceSystem: 'crm_dashboard' },
});

describe('SQS processor adapter', () => {
  const logger = createLogger({ level: 'error', sink: () => undefined });

  it('processes every record with its receive count and reports only the failed one', async () => {
    const event = fixture();
    event.Records[0]!.body = JSON.stringify(message('ok-1'));
    event.Records[1]!.body = JSON.stringify(message('boom-2'));
    const seen: Array<[string, number]> = [];
    const handler = createSqsHandler(async () => ({
      logger,
      processor: {
        async process(m, attempt) {
          seen.push([m.id, attempt]);
          if (m.id.startsWith('boom')) throw new Error('delivery failed');
        },
      },
    }));
    const result = await handler(event);
    expect(seen).toEqual([['ok-1', 1], ['boom-2', 3]]);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '2e1424d4-f796-459a-8184-9c92662be6da' }] });
  });

  it('reports a record whose body is not a message, and still processes the rest', async () => {
    const event = fixture();
    event.Records[0]!.body = 'not json';
    event.Records[1]!.body = JSON.stringify(message('ok-2'));
    const processed: string[] = [];
    const handler = createSqsHandler(async () => ({ logger, processor: { process: async (m) => void processed.push(m.id) } }));
    expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: '059f36b4-87a3-44ab-83d2-661975830a7d' }] });
    expect(processed).toEqual(['ok-2']);
  });
});
