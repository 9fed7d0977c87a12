/**
 * A proposed action, not a performed one (issue 13): what an engine wanted to do with a write or notify tool,
 * stopped before it ran, with a preview of exactly what would change, who asked, and until when it may be
 * approved. Pure data and pure transitions; the store (pendingStore.ts) keeps it durable and the service
 * (approvals.ts) performs it once when a person allowed to approve says so.
 *
 * The action's id is also its idempotency key: the write or notification carries it, the audit record is keyed
 * by it, and a second approval finds the action already decided.
 */
import type { ToolEffect } from '../../compiler/manifest.ts';
import type { InboundMessage } from '../queue/inboundMessage.ts';
import type { SqlValue } from '../warehouse/warehouse.ts';

export type ActionStatus = 'pending' | 'approved' | 'done' | 'failed' | 'rejected' | 'expired';

export interface FieldChange {
  column: string;
  /** How people say it ("next step"). */
  label: string;
  from: SqlValue;
  to: SqlValue;
}

export type Preview =
  | { kind: 'update'; table: string; key: Record<string, SqlValue>; record: string; changes: FieldChange[] }
  | { kind: 'insert'; table: string; values: Record<string, SqlValue> }
  | { kind: 'notification'; target: string; recipient: string; text: string }
  | { kind: 'call'; tool: string; parameters: Record<string, unknown> };

/** Who asked, in the channel's own terms: a Slack user id, a webhook caller's identity, the local CLI user. */
export interface Asker {
  /** Slack user id, webhook caller identity (`key0`, `hmac`, `anonymous`), or `cli`. */
  id: string;
  /** For people reading the audit log. */
  label: string;
}

export interface Decision {
  approve: boolean;
  /** The approver in the channel's terms (Slack user id, webhook caller, `cli`). */
  by: string;
  /** Stable per decision (a Slack click, an approve request): a redelivered decision resumes, a second one does not. */
  decisionId: string;
  at: string;
}

export interface ActionOutcome {
  ok: boolean;
  /** The tool's own words (rows written, HTTP status) or why it failed. */
  text: string;
}

export interface PendingAction {
  id: string;
  tool: string;
  effect: Exclude<ToolEffect, 'read'>;
  /** The exact call that runs when approved, parameters already checked. */
  params: Record<string, unknown>;
  preview: Preview;
  /** A notification's destination as previewed, in full: the approved call goes there or nowhere. */
  destination?: string;
  asker: Asker;
  /** What asked: the question, its session, and (from a channel) the message, whose routing the result follows. */
  origin: { id: string; channel: string; text: string; sessionId: string; message?: InboundMessage };
  /** What the engine needs to carry on after the decision (Converse messages, a Bedrock invocation id). */
  resume?: unknown;
  createdAt: string;
  expiresAt: string;
  status: ActionStatus;
  decision?: Decision;
  outcome?: ActionOutcome;
  performedAt?: string;
}

export type Verdict =
  | { kind: 'apply'; action: PendingAction }
  | { kind: 'resume'; action: PendingAction }
  | { kind: 'refused'; reason: 'expired' | 'not_allowed' | 'already_decided'; action: PendingAction };

/**
 * What a decision does to an action, given whether the decider may approve. `apply` moves it to approved (perform
 * next) or rejected; `resume` is a redelivered decision of an approved action not yet performed (a crash between
 * approval and write); everything else changes nothing.
 */
export function judge(action: PendingAction, decision: Decision, allowed: boolean, now: Date): Verdict {
  if (action.status === 'approved' && action.decision?.decisionId === decision.decisionId) return { kind: 'resume', action };
  // Expiry is an ending like a decision, but a late decision is told it came too late, not that someone decided.
  if (action.status === 'expired') return { kind: 'refused', reason: 'expired', action };
  if (action.status !== 'pending') return { kind: 'refused', reason: 'already_decided', action };
  if (now.getTime() >= Date.parse(action.expiresAt)) return { kind: 'refused', reason: 'expired', action: { ...action, status: 'expired' } };
  if (!allowed) return { kind: 'refused', reason: 'not_allowed', action };
  return { kind: 'apply', action: { ...action, status: decision.approve ? 'approved' : 'rejected', decision } };
}

const shown = (value: SqlValue): string => (value === null || value === '' ? '(empty)' : `"${String(value)}"`);

/** The preview as Markdown lines, the same words in every channel. */
export function previewLines(preview: Preview): string[] {
  switch (preview.kind) {
    case 'update':
      return [`Update **${preview.record}** (${preview.table} ${Object.values(preview.key).join(', ')}):`,
        ...preview.changes.map((c) => `- ${c.label}: ${shown(c.from)} → ${shown(c.to)}`)];
    case 'insert':
      return [`Add a record to ${preview.table}:`, ...Object.entries(preview.values).map(([k, v]) => `- ${k.replace(/_/gu, ' ')}: ${shown(v)}`)];
    case 'notification':
      return [`Send a notification to **${preview.recipient}** via ${preview.target}:`, `> ${preview.text.replace(/\n/gu, '\n> ')}`];
    case 'call':
      return [`Run ${preview.tool} with:`, ...Object.entries(preview.parameters).map(([k, v]) => `- ${k}: ${JSON.stringify(v)}`)];
  }
}

/** What the asker reads while the action waits. */
export function proposalText(action: PendingAction): string {
  const by = new Date(action.expiresAt).toISOString().replace('T', ' ').slice(0, 16);
  return [`**Approval needed** — nothing has been changed yet.`, ...previewLines(action.preview), '',
    `Approve to go ahead, or cancel (this proposal expires ${by} UTC).`].join('\n');
}

/** The final word on a decided action. */
export function settledText(action: PendingAction): string {
  switch (action.status) {
    case 'done':
      return `**Done** — ${action.outcome?.text ?? 'the action was carried out.'}\n${previewLines(action.preview).join('\n')}`;
    case 'failed':
      return `**Not done** — the approved action failed: ${action.outcome?.text ?? 'no reason given'}. Nothing else was changed.`;
    case 'rejected':
      return 'Cancelled — nothing was changed.';
    case 'expired':
      return 'This proposal expired before anyone approved it — nothing was changed. Ask again if it is still needed.';
    default:
      return 'This action is waiting for approval — nothing has been changed yet.';
  }
}
