/**
 * A Block Kit button click (`block_actions` payload) as a decision message: pure, so its rules are tested as data.
 * The decision id is the clicker and the click's `action_ts`: a replayed or retried payload is the same decision
 * (queued once), a second click is another (which then finds the action already decided).
 */
import type { ManifestSlackChannel } from '../../../compiler/manifest.ts';
import type { SlackInbound } from '../../processing/inbound.ts';
import { APPROVE_ACTION } from './approvalBlocks.ts';
import { sessionIdFor } from './question.ts';

export interface ClickPayload {
  user?: { id?: string; team_id?: string };
  team?: { id?: string };
  channel?: { id?: string };
  container?: { message_ts?: string; channel_id?: string };
  message?: { ts?: string; thread_ts?: string };
}

export interface ClickAction {
  action_id?: string;
  value?: string;
  action_ts?: string;
}

export function decisionFromClick(
  body: ClickPayload, action: ClickAction, spec: ManifestSlackChannel, accepted: { id: string; receivedAt: Date },
): SlackInbound | undefined {
  const user = body.user?.id;
  const channel = body.channel?.id ?? body.container?.channel_id;
  const messageTs = body.container?.message_ts ?? body.message?.ts;
  if (!user || !channel || !messageTs || !action.value || !action.action_ts) return undefined;
  const threadTs = body.message?.thread_ts ?? messageTs;
  const approve = action.action_id === APPROVE_ACTION;
  const decisionId = `${user}:${action.action_ts}`;
  const team = body.team?.id ?? body.user?.team_id;
  return {
    kind: 'slack', id: accepted.id, dedupeKey: `decision:${action.value}:${decisionId}`, channel: spec.name, agent: spec.entry,
    text: `${approve ? 'approve' : 'cancel'} ${action.value}`, sessionId: sessionIdFor({ ...(team ? { workspace: team } : {}), channel, threadTs }),
    receivedAt: accepted.receivedAt.toISOString(),
    slack: { channel, threadTs, user, ...(team ? { team } : {}) },
    decision: { actionId: action.value, approve, by: user, decisionId, messageTs },
  };
}
