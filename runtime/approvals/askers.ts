/** Who asked, per channel kind: the identity approvals compare a decider with, and the label audit records show. */
import type { InboundMessage } from '../queue/inboundMessage.ts';
import type { Asker } from './pendingAction.ts';

/** A webhook caller on an `auth: none` channel (the ingress's name for it too). */
const ANONYMOUS = 'anonymous';

const ASKERS: { [K in InboundMessage['kind']]: (message: Extract<InboundMessage, { kind: K }>) => Asker } = {
  slack: (m) => ({ id: m.slack.user, label: `<@${m.slack.user}>` }),
  webhook: (m) => ({ id: m.webhook.caller ?? ANONYMOUS, label: `webhook caller ${m.webhook.caller ?? ANONYMOUS} (${m.webhook.sourceSystem})` }),
};

export const askerOf = (message: InboundMessage): Asker => (ASKERS[message.kind] as (m: InboundMessage) => Asker)(message);
