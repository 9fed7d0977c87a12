/** Who asked, per channel kind: the identity approvals compare a decider with, and the label audit records show. */
import type { InboundMessage } from '../processing/inbound.ts';
import type { Asker } from './pendingAction.ts';

const ASKERS: { [K in InboundMessage['kind']]: (message: Extract<InboundMessage, { kind: K }>) => Asker } = {
  slack: (m) => ({ id: m.slack.user, label: `<@${m.slack.user}>` }),
  webhook: (m) => ({ id: m.webhook.caller ?? 'anonymous', label: `webhook caller ${m.webhook.caller ?? 'anonymous'} (${m.webhook.sourceSystem})` }),
};

export const askerOf = (message: InboundMessage): Asker => (ASKERS[message.kind] as (m: InboundMessage) => Asker)(message);
