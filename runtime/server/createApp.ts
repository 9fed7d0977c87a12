/**
 * The HTTP surface, one Hono app for the local server (`@hono/node-server`) and Lambda (`hono/aws-lambda`):
 * `POST /slack/events`, `POST /webhook`, `GET /webhook/:tracking_id`, `GET /healthz`, `GET /metrics`. Routes use only
 * Fetch API objects; whatever is transport specific (the caller's address) comes in through `callerInfo`. Every
 * route's body is limited first (bodyLimit.ts).
 */
import { Hono, type Context } from 'hono';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.ts';
import type { CallerInfo, WebhookIngress } from '../channels/webhook/ingress.ts';
import { failure, json, preflight } from '../channels/webhook/http.ts';
import { limitBodies, SLACK_MAX_BODY_BYTES } from './bodyLimit.ts';

export interface SlackRoute {
  handle(request: Request): Promise<Response>;
}

export interface AppDeps {
  /** Absent when the manifest has no webhook channel. */
  webhook?: WebhookIngress;
  /** Absent when Slack is not configured; `slackUnavailable` then says why (503). */
  slack?: SlackRoute;
  slackUnavailable?: string;
  health: () => Promise<Record<string, unknown>>;
  /** Prometheus text; absent on Lambda (metrics go out as EMF there). */
  metricsText?: () => string;
  callerInfo?: (c: Context) => CallerInfo;
  /** The webhook channel's `limits.max_body_bytes` (without it /webhook gets bodyLimit.ts's small default). */
  webhookMaxBodyBytes?: number;
  /** Told of each body the limit refused, after the log line (the webhook counts them as rejections). */
  bodyRefused?: (path: string) => void;
  logger: Logger;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const callerInfo = deps.callerInfo ?? ((c: Context) => ({ ...optionalHeader('userAgent', c.req.header('user-agent')) }));
  app.use(limitBodies(
    { '/slack/events': SLACK_MAX_BODY_BYTES, ...(deps.webhookMaxBodyBytes ? { '/webhook': deps.webhookMaxBodyBytes } : {}) },
    (path, maxBytes) => {
      deps.logger.info('request refused: body over the limit', { code: 'body_too_large', path, max_bytes: maxBytes });
      deps.bodyRefused?.(path);
    },
  ));

  app.post('/slack/events', async (c) => {
    if (!deps.slack) {
      return c.json({ ok: false, error: 'slack_not_configured', message: deps.slackUnavailable
        ?? 'Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN and restart the server.' }, 503);
    }
    return deps.slack.handle(c.req.raw);
  });

  const noWebhook = (): Response => failure(404, 'webhook_not_configured', 'this deployment has no webhook channel (specs/channels/webhook.yaml)');
  app.options('/webhook', () => preflight());
  app.options('/webhook/:tracking_id', () => preflight());
  app.post('/webhook', (c) => deps.webhook?.accept(c.req.raw, callerInfo(c)) ?? noWebhook());
  app.get('/webhook/:tracking_id', (c) => deps.webhook?.status(c.req.raw, c.req.param('tracking_id')) ?? noWebhook());
  app.post('/webhook/:tracking_id/approve', (c) => deps.webhook?.decide(c.req.raw, c.req.param('tracking_id'), true) ?? noWebhook());
  app.post('/webhook/:tracking_id/reject', (c) => deps.webhook?.decide(c.req.raw, c.req.param('tracking_id'), false) ?? noWebhook());

  app.get('/healthz', async (c) => c.json({ status: 'ok', ...(await deps.health()) }));
  app.get('/metrics', (c) => {
    if (!deps.metricsText) return c.text('metrics are published as CloudWatch Embedded Metric Format here\n', 404);
    return c.body(deps.metricsText(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  app.notFound((c) => json(404, { success: false, error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }));
  app.onError((error, c) => {
    const reference = randomUUID();
    deps.logger.error('request failed', { correlation_id: reference, path: c.req.path, error });
    // Never the exception text: the seed answered invalid input with its Python traceback.
    return json(500, { success: false, error: { code: 'internal_error', message: `the server failed on this request; reference ${reference}` } });
  });
  return app;
}

const optionalHeader = (key: keyof CallerInfo, value: string | undefined): CallerInfo => (value ? { [key]: value } : {});
