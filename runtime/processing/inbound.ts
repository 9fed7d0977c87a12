/**
 * The processing layer's contract with the channels: the processor takes an InboundMessage (defined with the queue
 * that carries it, `queue/inboundMessage.ts`), runs the engine and hands the Outcome to the channel's Delivery.
 */
import type { TraceEvent } from '../engines/trace.ts';
import type { InboundMessage } from '../queue/inboundMessage.ts';

export type { DecisionRequest, InboundMessage, SlackInbound, WebhookInbound } from '../queue/inboundMessage.ts';

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
  progress(message: InboundMessage, event: TraceEvent): Promise<void>;
  deliver(message: InboundMessage, outcome: Outcome): Promise<void>;
}
