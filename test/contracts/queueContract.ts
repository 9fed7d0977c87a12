/**
 * The MessageQueue contract (runtime/queue/queue.ts), one suite for every implementation: the embedded queue runs
 * it in `npm test` (embedded.test.ts), the SQS queue against moto_server in `npm run test:aws`
 * (test/aws/contracts.test.ts). A behaviour belongs here when callers rely on it whatever the backend; what only
 * one backend can do (a journal's crash recovery, SQS's whole seconds) is tested next to it.
 */
import { describe, expect, it } from 'vitest';
import type { DeadLetter, MessageQueue, ReceivedMessage } from '../../runtime/queue/queue.ts';
import { webhookMessage } from '../support/messages.ts';

export interface QueueSettings {
  /** Whole seconds: SQS's unit. */
  visibilityTimeoutSeconds: number;
  maxReceives: number;
}

export interface QueueHarness {
  /** A new, empty queue (with its dead-letter queue) and what its `onDeadLetter` was told. */
  open(settings: QueueSettings): Promise<{ queue: MessageQueue; deadLettered: DeadLetter[] }>;
  /** Lets `ms` pass for the queue: the embedded queue's clock moves on, SQS's takes real time. */
  elapse(ms: number): Promise<void>;
}

const VISIBILITY = { visibilityTimeoutSeconds: 1, maxReceives: 3 };
/** Just past the visibility timeout above. */
const PAST_VISIBILITY_MS = 1_300;

const one = async (queue: MessageQueue): Promise<ReceivedMessage> => {
  const got = await queue.receive({ max: 10 });
  expect(got).toHaveLength(1);
  return got[0]!;
};

export function describeQueueContract(implementation: string, harness: QueueHarness): void {
  describe(`MessageQueue contract: ${implementation}`, () => {
    it('send then receive: the message as sent, under the id send returned, receive count 1', async () => {
      const { queue } = await harness.open(VISIBILITY);
      const message = webhookMessage();
      const sent = await queue.send(message);
      const got = await one(queue);
      expect(got).toMatchObject({ messageId: sent.messageId, message, receiveCount: 1 });
      expect(got.lastError).toBeUndefined();
      await queue.close();
    });

    it('a received message stays invisible for the visibility timeout, then comes back counted, with a new receipt', async () => {
      const { queue } = await harness.open(VISIBILITY);
      await queue.send(webhookMessage());
      const first = await one(queue);
      expect(await queue.receive({ max: 10 })).toEqual([]);
      await harness.elapse(PAST_VISIBILITY_MS);
      const again = await one(queue);
      expect(again.messageId).toBe(first.messageId);
      expect(again.receiveCount).toBe(2);
      expect(again.receiptHandle).not.toBe(first.receiptHandle);
      await queue.close();
    });

    it('ack deletes: the message is not received again, and a second ack of the receipt is refused', async () => {
      const { queue } = await harness.open(VISIBILITY);
      await queue.send(webhookMessage());
      const got = await one(queue);
      await queue.ack(got.receiptHandle);
      await expect(queue.ack(got.receiptHandle)).rejects.toMatchObject({ name: 'QueueError', code: 'unknown_receipt' });
      await harness.elapse(PAST_VISIBILITY_MS);
      expect(await queue.receive({ max: 10 })).toEqual([]);
      expect(await queue.stats()).toMatchObject({ visible: 0, inFlight: 0 });
      await queue.close();
    });

    it('a stale receipt deletes nothing: the consumer holding the message now still acks it', async () => {
      const { queue } = await harness.open(VISIBILITY);
      await queue.send(webhookMessage());
      const stale = await one(queue);
      await harness.elapse(PAST_VISIBILITY_MS);
      const current = await one(queue);
      await expect(queue.ack(stale.receiptHandle)).rejects.toMatchObject({ code: 'unknown_receipt' });
      await expect(queue.release(stale.receiptHandle, { error: 'late' })).rejects.toMatchObject({ code: 'unknown_receipt' });
      await queue.ack(current.receiptHandle);
      await harness.elapse(PAST_VISIBILITY_MS);
      expect(await queue.receive({ max: 10 })).toEqual([]);
      await queue.close();
    });

    it('release makes the message visible again at once, carrying the error as lastError', async () => {
      const { queue } = await harness.open(VISIBILITY);
      await queue.send(webhookMessage());
      const first = await one(queue);
      await queue.release(first.receiptHandle, { error: 'receiver said 500' });
      const again = await one(queue);
      expect(again).toMatchObject({ messageId: first.messageId, receiveCount: 2, lastError: 'receiver said 500' });
      await queue.close();
    });

    it('release with delayMs keeps the message invisible until the delay has passed', async () => {
      const { queue } = await harness.open({ ...VISIBILITY, visibilityTimeoutSeconds: 30 });
      await queue.send(webhookMessage());
      await queue.release((await one(queue)).receiptHandle, { error: 'later', delayMs: 1_000 });
      expect(await queue.receive({ max: 10 })).toEqual([]);
      await harness.elapse(PAST_VISIBILITY_MS);
      expect((await one(queue)).receiveCount).toBe(2);
      await queue.close();
    });

    it('the failure of the last allowed receive dead-letters the message with its count, error and time', async () => {
      const { queue, deadLettered } = await harness.open({ ...VISIBILITY, maxReceives: 2 });
      const message = webhookMessage();
      await queue.send(message);
      for (const attempt of [1, 2]) {
        const got = await one(queue);
        expect(got.receiveCount).toBe(attempt);
        await queue.release(got.receiptHandle, { error: `receiver said 500 (attempt ${attempt})` });
      }
      expect(await queue.receive({ max: 10 })).toEqual([]);
      const dead = await queue.deadLetters();
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({ message, receiveCount: 2, lastError: 'receiver said 500 (attempt 2)' });
      expect(Number.isNaN(Date.parse(dead[0]!.deadLetteredAt ?? ''))).toBe(false);
      expect(deadLettered).toEqual([dead[0]]);
      expect((await queue.stats()).deadLettered).toBe(1);
      await queue.close();
    });

    it('a dedupeKey sent twice is enqueued once and the second send says so', async () => {
      const { queue } = await harness.open(VISIBILITY);
      const message = webhookMessage();
      const first = await queue.send(message);
      const second = await queue.send({ ...message, id: 'another-correlation-id' });
      expect(first.duplicate).toBe(false);
      expect(second).toEqual({ messageId: first.messageId, duplicate: true, duplicateKnown: true });
      await one(queue);
      await queue.close();
    });

    it('concurrent receives never hand out one message twice', async () => {
      const { queue } = await harness.open({ ...VISIBILITY, visibilityTimeoutSeconds: 30 });
      const sent = await Promise.all(Array.from({ length: 6 }, () => queue.send(webhookMessage())));
      const received: ReceivedMessage[] = [];
      // Bounded: SQS may return fewer than asked per receive.
      for (let round = 0; round < 10 && received.length < sent.length; round += 1) {
        const batches = await Promise.all([1, 2, 3].map(() => queue.receive({ max: 2 })));
        received.push(...batches.flat());
      }
      expect(received.map((r) => r.messageId).sort()).toEqual(sent.map((s) => s.messageId).sort());
      await queue.close();
    });

    it('a long poll returns the message sent while it waits', async () => {
      const { queue } = await harness.open(VISIBILITY);
      const waiting = queue.receive({ max: 1, waitMs: 10_000 });
      await new Promise((resolve) => setTimeout(resolve, 100));
      const message = webhookMessage();
      await queue.send(message);
      expect((await waiting).map((r) => r.message)).toEqual([message]);
      await queue.close();
    });

    it('an aborted receive resolves empty; close ends a waiting receive and refuses every later call', async () => {
      const { queue } = await harness.open(VISIBILITY);
      const aborting = new AbortController();
      const aborted = queue.receive({ max: 1, waitMs: 10_000, signal: aborting.signal });
      aborting.abort();
      expect(await aborted).toEqual([]);
      const waiting = queue.receive({ max: 1, waitMs: 10_000 });
      await queue.close();
      expect(await waiting).toEqual([]);
      await expect(queue.send(webhookMessage())).rejects.toMatchObject({ code: 'queue_closed' });
      await expect(queue.receive({ max: 1 })).rejects.toMatchObject({ code: 'queue_closed' });
      await expect(queue.ack('any')).rejects.toMatchObject({ code: 'queue_closed' });
    });
  });
}
