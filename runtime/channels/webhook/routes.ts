/**
 * The webhook's HTTP surface: `POST /webhook`, `GET /webhook/{tracking_id}`, `POST /webhook/{tracking_id}/approve|reject`
 * and their CORS preflights, `/webhook` limited to the channel's `limits.max_body_bytes`. Without a webhook channel
 * the preflights still answer and the rest say so (404).
 */
import type { Metrics } from '../../metrics/metrics.ts';
import type { ChannelRoutes } from '../channelKind.ts';
import { failure, preflight } from './http.ts';
import type { WebhookIngress } from './ingress.ts';

const noWebhook = (): Response => failure(404, 'webhook_not_configured', 'this deployment has no webhook channel (specs/channels/webhook.yaml)');

export function webhookRoutes(options: { ingress?: WebhookIngress; maxBodyBytes?: number; metrics?: Metrics }): ChannelRoutes {
  const { ingress, metrics } = options;
  return {
    bodyLimits: options.maxBodyBytes ? { '/webhook': options.maxBodyBytes } : {},
    // A refused body counts as a rejected request, like every other refusal of the ingress.
    bodyRefused: (path) => {
      if (path === '/webhook') metrics?.emit({ WebhookRequestsRejected: 1 }, { source: 'webhook', request_type: 'too_large' });
    },
    mount(app, callerInfo) {
      app.options('/webhook', () => preflight());
      app.options('/webhook/:tracking_id', () => preflight());
      app.post('/webhook', (c) => ingress?.accept(c.req.raw, callerInfo(c)) ?? noWebhook());
      app.get('/webhook/:tracking_id', (c) => ingress?.status(c.req.raw, c.req.param('tracking_id')) ?? noWebhook());
      app.post('/webhook/:tracking_id/approve', (c) => ingress?.decide(c.req.raw, c.req.param('tracking_id'), true) ?? noWebhook());
      app.post('/webhook/:tracking_id/reject', (c) => ingress?.decide(c.req.raw, c.req.param('tracking_id'), false) ?? noWebhook());
    },
  };
}
