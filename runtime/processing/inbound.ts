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

/** The processor's verdict on one message, handed to the channel's Delivery. */
export interface Outcome {
  /** awaiting_approval: the answer is the preview of an action that waits for a person (`action`). */
  status: 'done' | 'failed' | 'awaiting_approval';
  /** Markdown answer (done) or a short apology naming the correlation id (failed). Never empty. */
  answer: string;
  /** Collaborator that answered. */
  agent?: string;
  skill?: string;
  error?: { code: string; message: string };
  /** The action waiting for approval, or the one a decision settled. */
  action?: OutcomeAction;
  events: TraceEvent[];
  /** SQL queries the run made (engines/collect.ts `countSqlQueries`): what metrics, the export and the webhook payload report. */
  sqlQueries: number;
  startedAt: string;
  finishedAt: string;
}

/** What a channel shows of an action (runtime/approvals/pendingAction.ts has the whole record). */
export interface OutcomeAction {
  id: string;
  status: 'pending' | 'approved' | 'done' | 'failed' | 'rejected' | 'expired';
  tool: string;
  expiresAt: string;
  preview: { kind: string } & Record<string, unknown>;
  askedBy?: string;
  /** The asker's identity in the channel's terms (Slack user id, webhook caller): who may approve by default. */
  askerId?: string;
  decidedBy?: string;
  decidedAt?: string;
  /** What the performed call returned. */
  outcome?: { ok: boolean; text: string };
  /** How the decision went for this message: a second click or an unauthorised one is told so, nothing else. */
  verdict?: 'performed' | 'rejected' | 'already_decided' | 'expired' | 'not_allowed' | 'not_found';
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
