/**
 * The durable queue between ingress and processing, with SQS semantics so the embedded implementation and SQS are
 * interchangeable: a received message is invisible for the visibility timeout, every receive counts, a message
 * received more than `maxReceives` times moves to the dead-letter queue (DLQ) instead of being delivered again, and
 * messages older than the retention period are dropped.
 *
 * Implementations: `createLocalQueue` (append-only journal under the data dir, group-committed fsync) and
 * `createSqsQueue` (Amazon SQS). The local consumer loop (`startConsumer`) drives either.
 */
import type { InboundMessage } from './inboundMessage.ts';
import { CodedError } from '../../compiler/codedError.ts';

export interface SendResult {
  messageId: string;
  /** True when a message with the same dedupeKey was already accepted: it was not enqueued again. */
  duplicate: boolean;
  /**
   * False when the queue cannot tell: `duplicate: false` then means only "not known to be one" (SQS: a standard
   * queue enqueues a repeat, a FIFO queue drops one silently; neither says so). The processor's done-set claim
   * answers each dedupeKey once either way.
   */
  duplicateKnown: boolean;
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
  /**
   * Long polling: wait up to this long for a message when none is visible. SQS counts whole seconds
   * (WaitTimeSeconds, at most 20): it waits the next whole second up, never less than asked.
   */
  waitMs?: number;
  /** Aborting ends the wait early; the receive then resolves with what it has (usually nothing). */
  signal?: AbortSignal;
}

export interface DeadLetter {
  messageId: string;
  message: InboundMessage;
  receiveCount: number;
  /** The error recorded by the last failed attempt. */
  lastError?: string;
  /**
   * When it was moved. Absent only for a message SQS's own redrive moved (consumers that crashed or timed out on
   * every receive): SQS keeps no such time, and its SentTimestamp is the original send.
   */
  deadLetteredAt?: string;
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
  /**
   * Processing succeeded: delete the message. A receipt no longer valid (acked or released already, or its
   * visibility timeout over, so another consumer may hold the message now) is refused with `unknown_receipt` and
   * deletes nothing.
   */
  ack(receiptHandle: string): Promise<void>;
  /**
   * Processing failed: make the message visible again after `delayMs` (default 0; SQS rounds up to whole seconds),
   * remembering the error; on the last allowed receive the message goes to the dead-letter queue with that error.
   * Refuses an invalid receipt as `ack` does.
   */
  release(receiptHandle: string, failure: { error: string; delayMs?: number }): Promise<void>;
  /** Messages in the dead-letter queue, oldest first. */
  deadLetters(): Promise<DeadLetter[]>;
  /**
   * The message sent with this dedupe key, while the queue holds it (waiting, in flight or dead-lettered), read from
   * memory at once. Only a queue that keeps its messages itself offers it (the embedded one); what it returns is as
   * durable as `send` made it, so a channel may read its own record of an accepted request from the message instead
   * of writing that record a second time.
   */
  heldMessage?(dedupeKey: string): InboundMessage | undefined;
  stats(): Promise<QueueStats>;
  /** Ends waiting receives (they resolve empty); every later call fails with `queue_closed`. */
  close(): Promise<void>;
}

/**
 * `queue_unavailable`: the queue service refused or could not be reached (a missing queue, no permission, the
 * network); `message_malformed`: a message on the queue is not an InboundMessage.
 */
export type QueueErrorCode = 'queue_closed' | 'queue_locked' | 'unknown_receipt' | 'send_failed'
  | 'queue_unavailable' | 'message_malformed';

/** Queue failures carry a stable code, the cause and what to do next in the message. */
export class QueueError extends CodedError<QueueErrorCode> {
  override readonly name = 'QueueError';
}
