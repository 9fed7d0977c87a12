/**
 * The durable queue between ingress and processing, with SQS semantics so the embedded implementation and SQS are
 * interchangeable: a received message is invisible for the visibility timeout, every receive counts, a message
 * received more than `maxReceives` times moves to the dead-letter queue (DLQ) instead of being delivered again, and
 * messages older than the retention period are dropped.
 *
 * Implementations: `createLocalQueue` (append-only journal under the data dir, group-committed fsync) and
 * `createSqsQueue` (Amazon SQS). The local consumer loop (`startConsumer`) drives either.
 */
import type { InboundMessage } from '../processing/inbound.ts';
import { CodedError } from '../codedError.ts';

export interface SendResult {
  messageId: string;
  /** True when a message with the same dedupeKey was already accepted: it was not enqueued again. */
  duplicate: boolean;
}

export interface ReceivedMessage {
  messageId: string;
  /** Opaque handle for ack/release; valid for this receive only (a later receive of the same message gets a new one). */
  receiptHandle: string;
  message: InboundMessage;
  /** 1 on the first receive. */
  receiveCount: number;
  /** Error text recorded by the last `release`, if any. */
  lastError?: string;
}

export interface ReceiveOptions {
  /** At most this many messages (SQS caps at 10). */
  max: number;
  /** Long polling: wait up to this long for a message when none is visible (SQS WaitTimeSeconds). */
  waitMs?: number;
  signal?: AbortSignal;
}

export interface DeadLetter {
  messageId: string;
  message: InboundMessage;
  receiveCount: number;
  /** The error recorded by the last failed attempt. */
  lastError?: string;
  deadLetteredAt: string;
}

export interface QueueStats {
  visible: number;
  inFlight: number;
  deadLettered: number;
}

export interface MessageQueue {
  /**
   * Durable (fsynced to disk, or accepted by SQS) before it resolves. A message whose dedupeKey was already accepted
   * within the retention period is not enqueued again (`duplicate: true`).
   */
  send(message: InboundMessage): Promise<SendResult>;
  /** Visible messages, made invisible for the visibility timeout; over-received ones go to the DLQ instead. */
  receive(options: ReceiveOptions): Promise<ReceivedMessage[]>;
  /** Processing succeeded: delete the message. */
  ack(receiptHandle: string): Promise<void>;
  /** Processing failed: make the message visible again after `delayMs` (default 0), remembering the error. */
  release(receiptHandle: string, failure: { error: string; delayMs?: number }): Promise<void>;
  /** Messages in the dead-letter queue, oldest first. */
  deadLetters(): Promise<DeadLetter[]>;
  stats(): Promise<QueueStats>;
  close(): Promise<void>;
}

export type QueueErrorCode = 'queue_closed' | 'queue_locked' | 'unknown_receipt' | 'journal_corrupt' | 'send_failed';

/** Queue failures carry a stable code, the cause and what to do next in the message. */
export class QueueError extends CodedError<QueueErrorCode> {
  override readonly name = 'QueueError';
}
