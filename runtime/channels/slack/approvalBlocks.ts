/**
 * The Slack surface of an approval (issue 13), as pure Block Kit: the proposal with Approve / Cancel buttons (each
 * carrying the action id), and what the message becomes once decided ("Approved by @x — done", "Cancelled"). The
 * button ids are what the ingress listens for; the decision itself travels the queue like a question.
 */
import type { KnownBlock } from '@slack/web-api';
import type { DecisionRequest, OutcomeAction } from '../../processing/inbound.ts';

export const APPROVE_ACTION = 'revops_approve';
export const CANCEL_ACTION = 'revops_cancel';

type Block = KnownBlock;

const section = (text: string): Block => ({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } });

export function proposalBlocks(mrkdwn: string, action: OutcomeAction): Block[] {
  return [
    section(mrkdwn),
    {
      type: 'actions',
      block_id: `revops_approval_${action.id}`.slice(0, 255),
      elements: [
        { type: 'button', action_id: APPROVE_ACTION, style: 'primary', value: action.id, text: { type: 'plain_text', text: 'Approve' } },
        { type: 'button', action_id: CANCEL_ACTION, style: 'danger', value: action.id, text: { type: 'plain_text', text: 'Cancel' } },
      ],
    },
  ];
}

/** The headline the approval message is edited to once the decision is carried out. */
export function decidedHeadline(action: OutcomeAction, decision: DecisionRequest): string {
  const by = `<@${decision.by}>`;
  switch (action.status) {
    case 'done':
      return `Approved by ${by} — done`;
    case 'failed':
      return `Approved by ${by} — it failed, nothing was changed`;
    case 'rejected':
      return `Cancelled by ${by}`;
    case 'expired':
      return 'Expired — nothing was changed';
    default:
      return `Approved by ${by}`;
  }
}

export const decidedBlocks = (headline: string, previewMrkdwn: string): Block[] => [
  section(`*${headline}*`), { type: 'context', elements: [{ type: 'mrkdwn', text: previewMrkdwn.slice(0, 3000) }] },
];
