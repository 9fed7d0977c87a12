/** Inbound messages for tests. */
import { randomUUID } from 'node:crypto';
import type { WebhookInbound } from '../../runtime/processing/inbound.ts';

export function webhookMessage(overrides: Partial<WebhookInbound> & { trackingId?: string } = {}): WebhookInbound {
  const { trackingId = randomUUID(), ...rest } = overrides;
  return {
    kind: 'webhook',
    id: randomUUID(),
    dedupeKey: trackingId,
    channel: 'webhook',
    agent: 'manager',
    text: 'What deals are closing this quarter?',
    sessionId: trackingId,
    receivedAt: '2026-01-15T10:00:00.000Z',
    webhook: { trackingId, sessionId: trackingId, sourceSystem: 'crm_dashboard' },
    ...rest,
  };
}
