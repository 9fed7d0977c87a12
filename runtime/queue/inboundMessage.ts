/**
 * What crosses the queue: one inbound message shape for every channel. Ingress (Slack HTTP, webhook HTTP, their
 * Lambda twins) turns a request into an InboundMessage and makes it durable on the queue; the processor takes it
 * off. A leaf: the queue holds it without knowing the processing layer that reads it.
 */
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
   * The session key (`processing/sessionKey.ts`): namespaced by channel and authenticated caller, so engines and stores keyed
   * by it never let one caller continue another's conversation.
   */
  sessionId: string;
  /** ISO 8601 time the ingress accepted the request. */
  receivedAt: string;
  /** Set when the message is a person's decision on a pending action rather than a question (runtime/approvals). */
  decision?: DecisionRequest;
}

export interface DecisionRequest {
  actionId: string;
  approve: boolean;
  /** The decider in the channel's terms: Slack user id, webhook caller identity. */
  by: string;
  /** Stable per decision: a redelivery of this message resumes it, another decision does not. */
  decisionId: string;
  /** Slack: the approval message clicked, which the result then updates. */
  messageTs?: string;
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

/**
 * What a journal record of each kind's message must carry in its channel block (the block is named like the kind):
 * the fields its delivery reads. `queue/journalRecordCheck.ts` quarantines a record without them, so a new kind's
 * message branch and its required fields are written side by side, here.
 */
export const REQUIRED_CHANNEL_FIELDS: { [K in InboundMessage['kind']]: Record<string, 'string'> } = {
  slack: { channel: 'string', threadTs: 'string', user: 'string' },
  webhook: { trackingId: 'string', sourceSystem: 'string' },
};
