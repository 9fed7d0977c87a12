/**
 * The MessageQueue over Amazon SQS (AWS deployments), held to the same contract as the embedded queue
 * (test/contracts/queueContract.ts). Visibility, receive counts and retention are SQS's own; what SQS does not keep,
 * this adapter does:
 * - Receipts: SQS may honour a delete with an old receipt handle, so a message another consumer received since
 *   would be deleted under it. The adapter remembers the receipts it handed out and how long the message stays
 *   invisible (the visibility timeout it asked for), and refuses an ack or release once that time is over
 *   (`unknown_receipt`) instead of sending it.
 * - Dead letters: the last allowed receive that fails moves the message to the dead-letter queue itself, with its
 *   error, receive count and time as message attributes (`deadLetterMessage`, also used by the Lambda processor);
 *   SQS's redrive policy stays as the backstop for consumers that crash or time out, whose messages carry neither.
 * - Duplicates: SQS's send response never says whether a FIFO queue dropped the message as a duplicate, and a
 *   standard queue enqueues it again. A dedupeKey this queue object sent within SQS's 5-minute deduplication window
 *   is known (`duplicate: true`, not sent again); any other send is `duplicateKnown: false`.
 * - `lastError` on a redelivered message is known to the process that released it (SQS keeps no note on a message).
 * Times are whole seconds on SQS; waits and delays round up, never down.
 */
import { createHash } from 'node:crypto';
import {
  ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand,
  type MessageAttributeValue, type SQSClient,
} from '@aws-sdk/client-sqs';
import type { InboundMessage } from './inboundMessage.ts';
import { QueueError, type DeadLetter, type MessageQueue, type QueueErrorCode, type ReceivedMessage } from './queue.ts';

export interface SqsQueueOptions {
  client: SQSClient;
  queueUrl: string;
  /** Asked for on every receive, so the adapter knows until when a receipt is the only one (infra sets the same). */
  visibilityTimeoutSeconds: number;
  /** The redrive policy's maxReceiveCount: the receive whose failure dead-letters the message. */
  maxReceives: number;
  /** The redrive target: where the last failure moves a message, and what `deadLetters()` and `stats()` read. */
  deadLetterQueueUrl?: string;
  onDeadLetter?: (dead: DeadLetter) => void;
  now?: () => number;
}

/** SQS's FIFO deduplication interval. */
const DEDUPE_WINDOW_MS = 5 * 60_000;
/** SQS limits: WaitTimeSeconds 20, VisibilityTimeout 12 hours. */
const MAX_WAIT_SECONDS = 20;
const MAX_VISIBILITY_SECONDS = 43_200;
/** A receipt is given up this long before SQS's visibility timeout ends: the delete itself takes a round trip. */
const RECEIPT_MARGIN_MS = 1_000;

const wholeSecondsUp = (ms: number, max: number): number => Math.min(max, Math.max(0, Math.ceil(ms / 1000)));

/** SQS error names that mean the receipt handle is not (or no longer) valid. */
const STALE_RECEIPT = new Set(['ReceiptHandleIsInvalid', 'InvalidParameterValue', 'MessageNotInflight']);

/** An SDK error as a QueueError: `code` unless it says the receipt is stale. */
export function queueErrorFrom(cause: unknown, code: QueueErrorCode, what: string): QueueError {
  if (cause instanceof QueueError) return cause;
  const name = (cause as { name?: string }).name ?? 'Error';
  if (STALE_RECEIPT.has(name)) {
    return new QueueError('unknown_receipt', `${what}: SQS says the receipt is no longer valid (${name}); the message was not changed`, { cause });
  }
  return new QueueError(code, `${what} failed (${name}: ${(cause as Error).message}); check the queue URL, the role's SQS permissions and the network`, { cause });
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
/** A FIFO group id holds at most 128 characters; a longer session key (a webhook caller's long session id) is hashed. */
const groupId = (sessionKey: string): string => (sessionKey.length <= 128 ? sessionKey : sha256(sessionKey));
const attribute = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

/** The dead-letter record as SQS message attributes (what `deadLetters()` reads back). */
export function deadLetterMessage(queueUrl: string, dead: DeadLetter & { deadLetteredAt: string }) {
  return new SendMessageCommand({
    QueueUrl: queueUrl, MessageBody: JSON.stringify(dead.message),
    MessageAttributes: {
      channel: attribute(dead.message.channel),
      revops_message_id: attribute(dead.messageId),
      revops_receive_count: { DataType: 'Number', StringValue: String(dead.receiveCount) },
      revops_dead_lettered_at: attribute(dead.deadLetteredAt),
      ...(dead.lastError !== undefined ? { revops_last_error: attribute(dead.lastError.slice(0, 4096)) } : {}),
    },
    ...(queueUrl.endsWith('.fifo') ? {
      MessageGroupId: groupId(dead.message.sessionId), MessageDeduplicationId: sha256(`dead:${dead.messageId}`),
    } : {}),
  });
}

interface HeldReceipt {
  messageId: string;
  message: InboundMessage;
  receiveCount: number;
  heldUntil: number;
}

export function createSqsQueue(options: SqsQueueOptions): MessageQueue {
  const { client, queueUrl } = options;
  const now = options.now ?? Date.now;
  const fifo = queueUrl.endsWith('.fifo');
  const visibilitySeconds = wholeSecondsUp(options.visibilityTimeoutSeconds * 1000, MAX_VISIBILITY_SECONDS);
  const held = new Map<string, HeldReceipt>();
  const sent = new Map<string, { messageId: string; at: number }>();
  const lastErrors = new Map<string, string>();
  const closing = new AbortController();
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw new QueueError('queue_closed', `the SQS queue ${queueUrl} is closed in this process; create it again to continue`);
  };
  const call = async <T>(what: string, code: QueueErrorCode, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (cause) {
      throw queueErrorFrom(cause, code, what);
    }
  };
  const parse = (body: string | undefined): InboundMessage => {
    try {
      return JSON.parse(body ?? '') as InboundMessage;
    } catch (cause) {
      throw new QueueError('message_malformed', `an SQS message on ${queueUrl} is not an InboundMessage JSON body; move it off the queue by hand`, { cause });
    }
  };
  const forget = (at: number): void => {
    // Both maps are in insertion order, so each sweep stops at the first entry still current.
    for (const [key, entry] of sent) {
      if (entry.at + DEDUPE_WINDOW_MS > at) break;
      sent.delete(key);
    }
    for (const [handle, entry] of held) if (entry.heldUntil <= at) held.delete(handle);
  };
  /** The receipt, if this consumer still holds the message; otherwise `unknown_receipt` and nothing sent. */
  const take = (receiptHandle: string, what: string): HeldReceipt => {
    const entry = held.get(receiptHandle);
    held.delete(receiptHandle);
    if (!entry || entry.heldUntil <= now()) {
      if (entry) lastErrors.delete(entry.messageId);
      throw new QueueError('unknown_receipt', `${what}: receipt ${receiptHandle.slice(0, 24)}… is no longer valid (acked or released ` +
        'already, not received here, or its visibility timeout is over and another consumer may hold the message); nothing was changed');
    }
    return entry;
  };
  /** A call that failed without changing the message leaves the receipt held, so the caller may try again. */
  const keep = (receiptHandle: string, entry: HeldReceipt) => (error: QueueError): never => {
    if (error.code !== 'unknown_receipt') held.set(receiptHandle, entry);
    throw error;
  };
  const count = async (url: string, names: Array<'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible'>) => {
    const { Attributes = {} } = await call(`SQS GetQueueAttributes on ${url}`, 'queue_unavailable',
      () => client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names })));
    return names.map((n) => Number(Attributes[n] ?? 0));
  };
  const deadLetter = async (entry: HeldReceipt, receiptHandle: string, error: string): Promise<void> => {
    const dead = { messageId: entry.messageId, message: entry.message, receiveCount: entry.receiveCount, lastError: error,
      deadLetteredAt: new Date(now()).toISOString() };
    await call(`SQS SendMessage to the dead-letter queue ${options.deadLetterQueueUrl}`, 'queue_unavailable',
      () => client.send(deadLetterMessage(options.deadLetterQueueUrl!, dead)));
    await call(`SQS DeleteMessage on ${queueUrl}`, 'queue_unavailable',
      () => client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle })));
    lastErrors.delete(entry.messageId);
    options.onDeadLetter?.(dead);
  };

  return {
    async send(message) {
      ensureOpen();
      const at = now();
      forget(at);
      const known = sent.get(message.dedupeKey);
      if (known) return { messageId: known.messageId, duplicate: true, duplicateKnown: true };
      try {
        const out = await client.send(new SendMessageCommand({
          QueueUrl: queueUrl, MessageBody: JSON.stringify(message),
          MessageAttributes: { channel: attribute(message.channel) },
          ...(fifo ? { MessageGroupId: groupId(message.sessionId), MessageDeduplicationId: sha256(message.dedupeKey) } : {}),
        }));
        const messageId = out.MessageId ?? message.id;
        sent.set(message.dedupeKey, { messageId, at });
        return { messageId, duplicate: false, duplicateKnown: false };
      } catch (cause) {
        throw new QueueError('send_failed', `SQS SendMessage to ${queueUrl} failed; the request was not accepted, the caller should retry`, { cause });
      }
    },
    async receive({ max, waitMs = 0, signal }) {
      ensureOpen();
      const abort = signal ? AbortSignal.any([signal, closing.signal]) : closing.signal;
      if (abort.aborted) return [];
      let out;
      try {
        out = await client.send(new ReceiveMessageCommand({
          QueueUrl: queueUrl, MaxNumberOfMessages: Math.min(10, Math.max(1, max)),
          WaitTimeSeconds: wholeSecondsUp(waitMs, MAX_WAIT_SECONDS), VisibilityTimeout: visibilitySeconds,
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }), { abortSignal: abort });
      } catch (cause) {
        if (abort.aborted) return [];
        throw queueErrorFrom(cause, 'queue_unavailable', `SQS ReceiveMessage on ${queueUrl}`);
      }
      const at = now();
      forget(at);
      const heldUntil = at + visibilitySeconds * 1000 - Math.min(RECEIPT_MARGIN_MS, (visibilitySeconds * 1000) / 4);
      return (out.Messages ?? []).map((m): ReceivedMessage => {
        const messageId = m.MessageId ?? '';
        const message = parse(m.Body);
        const receiveCount = Number(m.Attributes?.ApproximateReceiveCount ?? 1);
        const receiptHandle = m.ReceiptHandle ?? '';
        held.set(receiptHandle, { messageId, message, receiveCount, heldUntil });
        const lastError = lastErrors.get(messageId);
        return { messageId, receiptHandle, message, receiveCount, ...(lastError !== undefined ? { lastError } : {}) };
      });
    },
    async ack(receiptHandle) {
      ensureOpen();
      const entry = take(receiptHandle, 'ack');
      await call(`SQS DeleteMessage on ${queueUrl}`, 'queue_unavailable',
        () => client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }))).catch(keep(receiptHandle, entry));
      lastErrors.delete(entry.messageId);
    },
    async release(receiptHandle, failure) {
      ensureOpen();
      const entry = take(receiptHandle, 'release');
      if (entry.receiveCount >= options.maxReceives && options.deadLetterQueueUrl) {
        await deadLetter(entry, receiptHandle, failure.error);
        return;
      }
      lastErrors.delete(entry.messageId);
      lastErrors.set(entry.messageId, failure.error);
      // Kept for redeliveries to this process only, so bounded: the oldest notes go first.
      if (lastErrors.size > 10_000) lastErrors.delete(lastErrors.keys().next().value!);
      await call(`SQS ChangeMessageVisibility on ${queueUrl}`, 'queue_unavailable', () => client.send(new ChangeMessageVisibilityCommand({
        QueueUrl: queueUrl, ReceiptHandle: receiptHandle, VisibilityTimeout: wholeSecondsUp(failure.delayMs ?? 0, MAX_VISIBILITY_SECONDS),
      }))).catch(keep(receiptHandle, entry));
    },
    async deadLetters(): Promise<DeadLetter[]> {
      ensureOpen();
      if (!options.deadLetterQueueUrl) return [];
      // A peek (VisibilityTimeout 0 leaves the messages where they are) of at most 10, SQS's most per receive.
      const out = await call(`SQS ReceiveMessage on ${options.deadLetterQueueUrl}`, 'queue_unavailable', () => client.send(new ReceiveMessageCommand({
        QueueUrl: options.deadLetterQueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0, MessageAttributeNames: ['All'],
      })));
      return (out.Messages ?? []).map((m): DeadLetter => {
        const attrs = m.MessageAttributes ?? {};
        const lastError = attrs.revops_last_error?.StringValue;
        const deadLetteredAt = attrs.revops_dead_lettered_at?.StringValue;
        return {
          messageId: attrs.revops_message_id?.StringValue ?? m.MessageId ?? '', message: parse(m.Body),
          // SQS's redrive moves a message received maxReceives times; ours says how many.
          receiveCount: Number(attrs.revops_receive_count?.StringValue ?? options.maxReceives),
          ...(lastError !== undefined ? { lastError } : {}), ...(deadLetteredAt !== undefined ? { deadLetteredAt } : {}),
        };
      });
    },
    async stats() {
      ensureOpen();
      const [visible = 0, inFlight = 0] = await count(queueUrl, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
      const [deadLettered = 0] = options.deadLetterQueueUrl ? await count(options.deadLetterQueueUrl, ['ApproximateNumberOfMessages']) : [0];
      return { visible, inFlight, deadLettered };
    },
    async close() {
      closed = true;
      closing.abort();
    },
  };
}
