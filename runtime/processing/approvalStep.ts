/**
 * The processor's approval step (issue 13). After an engine run: an `approval_needed` event becomes a pending
 * action (checked and previewed by runtime/approvals) and the outcome `awaiting_approval` with its preview — or,
 * when the call cannot be carried out, an answer saying why and that nothing was changed. For a decision message:
 * the decision goes to the approvals service (which performs once), the engine resumes where it can, and the
 * outcome says how it ended.
 */
import { approversText } from '../approvals/approvers.ts';
import type { Approvals, DecideResult } from '../approvals/approvals.ts';
import { askerOf } from '../approvals/askers.ts';
import { proposalText, settledText, type PendingAction } from '../approvals/pendingAction.ts';
import { summarise } from '../engines/collect.ts';
import type { Engine } from '../engines/engine.ts';
import type { TraceEvent } from '../engines/trace.ts';
import type { ManifestChannel } from '../../compiler/manifest.ts';
import type { DecisionRequest, InboundMessage, Outcome, OutcomeAction } from './inbound.ts';

export function viewOf(action: PendingAction, verdict?: OutcomeAction['verdict']): OutcomeAction {
  return {
    id: action.id, status: action.status, tool: action.tool, expiresAt: action.expiresAt, preview: action.preview,
    askedBy: action.asker.label, askerId: action.asker.id,
    ...(action.decision ? { decidedBy: action.decision.by, decidedAt: action.decision.at } : {}),
    ...(action.outcome ? { outcome: action.outcome } : {}), ...(verdict ? { verdict } : {}),
  };
}

const nothingChanged = (reason: string): string => (/nothing (was|to) /iu.test(reason) ? reason : `${reason} Nothing was changed.`);

export async function proposeFromRun(approvals: Approvals | undefined, message: InboundMessage, outcome: Outcome): Promise<Outcome> {
  const wanted = outcome.events.find((e) => e.type === 'approval_needed');
  if (!wanted || wanted.type !== 'approval_needed' || outcome.status === 'failed') return outcome;
  if (!approvals) return { ...outcome, answer: `${wanted.tool} needs a person's approval, and approvals are not set up here. Nothing was changed.` };
  const result = await approvals.propose({
    key: `${message.dedupeKey}:${wanted.callId}`, tool: wanted.tool, params: wanted.parameters, asker: askerOf(message),
    origin: { id: message.id, channel: message.channel, text: message.text, sessionId: message.sessionId, message },
    ...(wanted.resume !== undefined ? { resume: wanted.resume } : {}),
  });
  if (!result.ok) return { ...outcome, status: 'done', answer: `I couldn't prepare that: ${nothingChanged(result.reason)}` };
  return { ...outcome, status: 'awaiting_approval', answer: proposalText(result.action), action: viewOf(result.action) };
}

function verdictText(result: Exclude<DecideResult, { kind: 'not_found' }>, channels: readonly ManifestChannel[]): string {
  const { action } = result;
  switch (result.kind) {
    case 'performed':
    case 'rejected':
    case 'expired':
      return settledText(action);
    case 'already_decided':
      return `This action was already ${action.status === 'approved' ? 'approved and is being carried out' : action.status}${action.decision ? ` (decided by ${action.decision.by})` : ''}; nothing more was done.`;
    case 'not_allowed': {
      const approvers = channels.find((c) => c.name === action.origin.channel)?.approval.approvers ?? { kind: 'asker' as const };
      return `Only ${approversText(approvers)} can approve this; nothing was changed.`;
    }
  }
}

export interface DecisionRun {
  /** Where the result goes: the asking message's routing, under the decision's own id. */
  message: InboundMessage;
  events: TraceEvent[];
  answer: string;
  action?: OutcomeAction;
}

export async function runDecision(
  approvals: Approvals | undefined, engine: Engine, channels: readonly ManifestChannel[], message: InboundMessage,
  decision: DecisionRequest, at: string, signal?: AbortSignal,
): Promise<DecisionRun> {
  if (!approvals) return { message, events: [], answer: 'Approvals are not set up here; nothing was changed.' };
  const result = await approvals.decide(decision.actionId, { approve: decision.approve, by: decision.by, decisionId: decision.decisionId, at });
  if (result.kind === 'not_found') return { message, events: [], answer: 'I have no pending action with that id; nothing was changed.' };
  const { action } = result;
  const origin = action.origin.message;
  const target = origin ? { ...origin, id: message.id, dedupeKey: message.dedupeKey, receivedAt: message.receivedAt, decision } as InboundMessage : message;
  let answer = verdictText(result, channels);
  const events: TraceEvent[] = [];
  const settled = result.kind === 'performed' || result.kind === 'rejected';
  if (settled && engine.resume && action.resume !== undefined) {
    for await (const event of engine.resume({
      agent: target.agent, text: action.origin.text, sessionId: action.origin.sessionId, state: action.resume, actionId: action.id,
      approved: result.kind === 'performed', ...(action.outcome ? { result: action.outcome } : {}), ...(signal ? { signal } : {}),
    })) events.push(event);
    const resumed = summarise(events);
    if (resumed.status === 'done' && resumed.answer.trim()) answer = `${answer}\n\n${resumed.answer.trim()}`;
  }
  return { message: target, events, answer, action: viewOf(action, result.kind) };
}
