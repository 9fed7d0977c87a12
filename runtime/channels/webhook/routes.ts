/**
 * The webhook's HTTP surface: `POST /webhook`, `GET /webhook/{tracking_id}`, `POST /webhook/{tracking_id}/approve|reject`
 * and their CORS preflights, `/webhook` limited to the channel's `limits.max_body_bytes`. `POST /webhook` is also a
 * direct route (channels/route.ts): the Node server answers it without Hono when it can read the request at once.
 * Without a webhook channel the preflights still answer and the rest say so (404).
 */
import type { Context } from 'hono';
import type { Metrics } from '../../metrics/metrics.ts';
import type { ChannelRoutes } from '../channelKind.ts';
import { fetchRouteRequest, toResponse, type DirectRoute, type Reply } from '../route.ts';
import { failure, preflight } from './http.ts';
import type { WebhookIngress } from './ingress.ts';

const noWebhook = (): Reply => failure(404, 'webhook_not_configured', 'this deployment has no webhook channel (specs/channels/webhook.yaml)');
const answered = async (reply: Reply | Promise<Reply>): Promise<Response> => toResponse(await reply);

export function webhookRoutes(options: { ingress?: WebhookIngress; maxBodyBytes?: number; metrics?: Metrics }): ChannelRoutes {
  const { ingress, metrics } = options;
  const accept: DirectRoute[] = ingress && options.maxBodyBytes
    ? [{ method: 'POST', path: '/webhook', maxBodyBytes: options.maxBodyBytes, handle: (request, caller) => ingress.accept(request, caller) }]
    : [];
  return {
    bodyLimits: options.maxBodyBytes ? { '/webhook': options.maxBodyBytes } : {},
    // A refused body counts as a rejected request, like every other refusal of the ingress.
    bodyRefused: (path) => {
      if (path === '/webhook') metrics?.emit({ WebhookRequestsRejected: 1 }, { source: 'webhook', request_type: 'too_large' });
    },
    direct: accept,
    mount(app, callerInfo) {
      const request = (c: { req: { raw: Request } }) => fetchRouteRequest(c.req.raw);
      const routes: Array<{ method: 'get' | 'post'; path: string; handle: (c: Context) => Reply | Promise<Reply> }> = [
        { method: 'post', path: '/webhook', handle: (c) => ingress?.accept(request(c), callerInfo(c)) ?? noWebhook() },
        { method: 'get', path: '/webhook/:tracking_id', handle: (c) => ingress?.status(request(c), c.req.param('tracking_id')!) ?? noWebhook() },
        { method: 'post', path: '/webhook/:tracking_id/approve', handle: (c) => ingress?.decide(request(c), c.req.param('tracking_id')!, true) ?? noWebhook() },
        { method: 'post', path: '/webhook/:tracking_id/reject', handle: (c) => ingress?.decide(request(c), c.req.param('tracking_id')!, false) ?? noWebhook() },
      ];
      // Every path a page may call gets the preflight its answers' CORS headers promise, a new route included.
      for (const path of new Set(routes.map((route) => route.path))) app.options(path, () => toResponse(preflight()));
      for (const route of routes) app[route.method](route.path, (c) => answered(route.handle(c)));
    },
  };
}
