/**
 * What crosses the queue: one inbound message shape for every channel. Ingress (Slack HTTP, webhook HTTP, their
 * Lambda twins) turns a request into an InboundMessage, makes it durable on the queue, and acknowledges; the
 * processor takes it off the queue, runs the engine and hands the outcome to the channel's Delivery.
 */
import type { TraceEvent } from '../engines/trace.ts';

interface InboundBase {
  /** Correlation id, new per accepted request; appears in every log line, export and apology. */
  id: string;
  /** Idempotency key: Slack `event_id`, webhook tracking id. A key already answered is never answered again. */
  dedupeKey: string;
  /** Channel spec name (`slack`, `webhook`). */
  channel: string;
  /** Entry agent from the channel spec. */
  agent: string;
  /** The question, mention stripped. */
  text: string;
  /**
   * The session key (`sessionKey.ts`): namespaced by channel and authenticated caller, so engines and stores keyed
   * by it never let one caller continue another's conversation.
   */
  sessionId: string;
  /** ISO 8601 time the ingress accepted the request. */
  receivedAt: string;
}

export interface SlackInbound extends InboundBase {
  kind: 'slack';
  slack: {
    channel: string;
    /** The thread the answer goes to (the mention's own ts when it started a thread). */
    threadTs: string;
    user: string;
    team?: string;
    /** ts of the acknowledgement message, which progress updates edit. */
    ackTs?: string;
  };
}

export interface WebhookInbound extends InboundBase {
  kind: 'webhook';
  webhook: {
    trackingId: string;
    /** The authenticated caller (`channels/webhook/auth.ts`); absent on an `auth: none` channel. */
    caller?: string;
    /** The caller's own name for the session: its `session_id`, or the tracking id; echoed in the result. */
    sessionId: string;
    sourceSystem: string;
    sourceProcess?: string;
    /** Already checked against the channel's allowlist at ingress. */
    callbackUrl?: string;
    requestTimestamp?: string;
    requestIp?: string;
    userAgent?: string;
  };
}

export type InboundMessage = SlackInbound | WebhookInbound;

/** The processor's verdict on one message, handed to the channel's Delivery. */
export interface Outcome {
  status: 'done' | 'failed';
  /** Markdown answer (done) or a short apology naming the correlation id (failed). Never empty. */
  answer: string;
  /** Collaborator that answered. */
  agent?: string;
  skill?: string;
  error?: { code: string; message: string };
  events: TraceEvent[];
  startedAt: string;
  finishedAt: string;
}

/**
 * The channel's side of processing. `progress` is called for each trace event as it happens (Slack edits its
 * acknowledgement; webhook ignores it); `deliver` exactly once per processing attempt. `deliver` throws when
 * delivery failed and should be retried (the message then stays on the queue).
 */
export interface Delivery {
  /**
   * Gets ready to deliver (a delivery built on first use loads its code): called as processing starts, not awaited,
   * so it overlaps the engine's run; a failure surfaces again where it matters, in progress or deliver.
   */
  prepare?(): Promise<void>;
  progress(message: InboundMessage, event: TraceEvent): Promise<void>;
  deliver(message: InboundMessage, outcome: Outcome): Promise<void>;
}
