/**
 * The HTTP surface, one Hono app for the local server (`@hono/node-server`) and Lambda (`hono/aws-lambda`):
 * each channel kind's routes (`POST /slack/events`, `POST /webhook`, ...: channels/channelKind.ts `ChannelRoutes`),
 * `GET /healthz`, `GET /metrics`. Routes use only Fetch API objects; whatever is transport specific (the caller's
 * address) comes in through `callerAddress`. Every route's body is limited first (bodyLimit.ts).
 */
import { Hono, type Context } from 'hono';
import type { Logger } from '../logging/logger.ts';
import type { ChannelRoutes } from '../channels/channelKind.ts';
import { toResponse, type CallerInfo } from '../channels/route.ts';
import { json } from '../channels/webhook/http.ts';
import { internalError } from './internalError.ts';
import { limitBodies } from './bodyLimit.ts';

/** The caller's address from the transport's request bindings (Hono's `c.env`: the Node socket, the Lambda event). */
export type CallerAddress = (bindings: unknown) => string | undefined;

export interface AppDeps {
  /** Each channel kind's routes (channels/channelKind.ts): served, or answering that they are not configured. */
  channels: readonly ChannelRoutes[];
  health: () => Promise<Record<string, unknown>>;
  /** Prometheus text; absent on Lambda (metrics go out as EMF there). */
  metricsText?: () => string;
  callerAddress?: CallerAddress;
  logger: Logger;
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const callerInfo = (c: Context): CallerInfo => {
    const ip = deps.callerAddress?.(c.env);
    const userAgent = c.req.header('user-agent');
    return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
  };
  app.use(limitBodies(Object.assign({}, ...deps.channels.map((c) => c.bodyLimits)), (path, maxBytes) => {
    deps.logger.info('request refused: body over the limit', { code: 'body_too_large', path, max_bytes: maxBytes });
    for (const channel of deps.channels) channel.bodyRefused?.(path);
  }));
  for (const channel of deps.channels) channel.mount(app, callerInfo);

  app.get('/healthz', async (c) => c.json({ status: 'ok', ...(await deps.health()) }));
  app.get('/metrics', (c) => {
    if (!deps.metricsText) return c.text('metrics are published as CloudWatch Embedded Metric Format here\n', 404);
    return c.body(deps.metricsText(), 200, { 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
  });

  app.notFound((c) => toResponse(json(404, { success: false, error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } })));
  app.onError((error, c) => toResponse(internalError(deps.logger, c.req.path, error)));
  return app;
}
