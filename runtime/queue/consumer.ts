/**
 * The local consumer loop: takes messages off a queue and runs up to `concurrency` of them at once, so one slow
 * question never blocks the others. A handler that resolves acks its message; one that throws releases it with the
 * error after a backoff, and the queue's receive count sends it to the dead-letter queue after `maxReceives`.
 * On AWS the SQS event source mapping plays this role and calls the same handler.
 */
import { fullJitterMs, type BackoffCurve } from '../backoff.ts';
import type { MessageQueue, ReceivedMessage } from './queue.ts';

export interface ConsumerOptions {
  queue: MessageQueue;
  handle: (received: ReceivedMessage) => Promise<void>;
  /** REVOPS_CONCURRENCY, default 4. */
  concurrency: number;
  /** Delay before a failed message is visible again; default exponential from 1 s with full jitter, max 30 s. */
  retryDelayMs?: (receiveCount: number) => number;
  /** Long-poll wait per receive. */
  waitMs?: number;
  onError?: (error: unknown, received?: ReceivedMessage) => void;
}

export interface Consumer {
  /** Messages being handled right now. */
  readonly active: number;
  /** Stops receiving and waits for the messages in hand to finish. */
  stop(): Promise<void>;
}

/** Before a failed message is offered again: up to 1 s, 2 s, 4 s…, never more than 30 s. */
const REDELIVERY: BackoffCurve = { baseMs: 1000, capMs: 30_000 };

export function startConsumer(options: ConsumerOptions): Consumer {
  const retryDelayMs = options.retryDelayMs ?? ((receiveCount: number) => fullJitterMs(receiveCount - 1, REDELIVERY));
  const onError = options.onError ?? (() => undefined);
  const stopping = new AbortController();
  const inHand = new Set<Promise<void>>();
  let slotFreed: (() => void) | undefined;

  const run = async (received: ReceivedMessage): Promise<void> => {
    try {
      await options.handle(received);
    } catch (error) {
      onError(error, received);
      const message = error instanceof Error ? error.message : String(error);
      await options.queue
        .release(received.receiptHandle, { error: message, delayMs: retryDelayMs(received.receiveCount) })
        .catch((releaseError: unknown) => onError(releaseError, received));
      return;
    }
    await options.queue.ack(received.receiptHandle).catch((ackError: unknown) => onError(ackError, received));
  };

  const loop = async (): Promise<void> => {
    while (!stopping.signal.aborted) {
      const slots = options.concurrency - inHand.size;
      if (slots <= 0) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
        continue;
      }
      let batch: ReceivedMessage[];
      try {
        batch = await options.queue.receive({
          max: Math.min(slots, 10), waitMs: options.waitMs ?? 1000, signal: stopping.signal,
        });
      } catch (error) {
        if (stopping.signal.aborted) break;
        onError(error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        continue;
      }
      for (const received of batch) {
        const task = run(received).finally(() => {
          inHand.delete(task);
          slotFreed?.();
          slotFreed = undefined;
        });
        inHand.add(task);
      }
    }
  };
  const looping = loop();

  return {
    get active() {
      return inHand.size;
    },
    async stop() {
      stopping.abort();
      slotFreed?.();
      await looping;
      await Promise.all(inHand);
    },
  };
}
