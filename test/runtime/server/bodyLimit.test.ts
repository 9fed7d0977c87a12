/** The body limit in front of every route of the runtime's Hono app, called in process (issue 10, defect 4). */
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../runtime/logging/logger.ts';
import { DEFAULT_MAX_BODY_BYTES } from '../../../runtime/server/bodyLimit.ts';
import { SLACK_MAX_BODY_BYTES, slackRoutes } from '../../../runtime/channels/slack/routes.ts';
import { webhookRoutes } from '../../../runtime/channels/webhook/routes.ts';
import { createApp } from '../../../runtime/server/createApp.ts';
import type { WebhookIngress } from '../../../runtime/channels/webhook/ingress.ts';
import type { Reply, RouteRequest } from '../../../runtime/channels/route.ts';

const WEBHOOK_MAX = 262_144;
const CHUNK = 64 * 1024;

function appWithRoutes() {
  const reached: string[] = [];
  const answer = async (route: string, request: Request): Promise<Response> => {
    reached.push(route);
    return new Response(`read ${(await request.arrayBuffer()).byteLength}`, { status: 200 });
  };
  // The webhook's routes read a RouteRequest and answer a Reply (channels/route.ts); no limit of their own here.
  const reply = async (route: string, request: RouteRequest): Promise<Reply> => {
    reached.push(route);
    return { status: 200, headers: {}, body: `read ${Buffer.byteLength((await request.text(Number.MAX_SAFE_INTEGER)) ?? '')}` };
  };
  const webhook: WebhookIngress = { accept: (r) => reply('webhook', r), status: (r) => reply('status', r), decide: (r) => reply('decide', r) };
  const app = createApp({
    channels: [slackRoutes({ handle: (r) => answer('slack', r) }), webhookRoutes({ ingress: webhook, maxBodyBytes: WEBHOOK_MAX })],
    health: async () => ({}), logger: silentLogger(),
  });
  return { app, reached };
}

/** A chunked body of `total` bytes that counts how much of it the server pulled. */
function countedStream(total: number): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close();
      const size = Math.min(CHUNK, total - pulled);
      pulled += size;
      controller.enqueue(new Uint8Array(size).fill(0x61));
    },
  }, { highWaterMark: 0 });
  return { body, pulled: () => pulled };
}

const post = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  new Request(`http://127.0.0.1${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, duplex: 'half' } as RequestInit);

describe('request body limits', () => {
  it.each([
    ['/slack/events', SLACK_MAX_BODY_BYTES, 'slack'],
    ['/webhook', WEBHOOK_MAX, 'webhook'],
  ])('%s takes a body of exactly %i bytes and refuses one byte more with 413 before its handler runs', async (path, max, route) => {
    const { app, reached } = appWithRoutes();
    const atLimit = await app.fetch(post(path, 'a'.repeat(max)));
    expect(await atLimit.text()).toBe(`read ${max}`);

    const over = await app.fetch(post(path, 'a'.repeat(max + 1)));
    expect(over.status).toBe(413);
    expect(over.headers.get('connection')).toBe('close');
    expect(await over.json()).toEqual({ success: false, error: { code: 'body_too_large', message: `the request body must be at most ${max} bytes` } });
    expect(reached).toEqual([route]);
  });

  it('refuses a declared Content-Length over the limit without reading the body', async () => {
    const { app, reached } = appWithRoutes();
    const { body, pulled } = countedStream(100 * 1024 * 1024);
    const res = await app.fetch(post('/slack/events', body, { 'content-length': String(100 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    expect(pulled()).toBe(0);
    expect(reached).toEqual([]);
  });

  it.each(['/slack/events', '/webhook'])('cuts a chunked body to %s off once it passes the limit', async (path) => {
    const { app, reached } = appWithRoutes();
    const { body, pulled } = countedStream(100 * 1024 * 1024);
    const res = await app.fetch(post(path, body));
    expect(res.status).toBe(413);
    const max = path === '/webhook' ? WEBHOOK_MAX : SLACK_MAX_BODY_BYTES;
    expect(pulled()).toBeGreaterThan(max);
    expect(pulled()).toBeLessThanOrEqual(max + CHUNK);
    expect(reached).toEqual([]);
  });

  it('passes a chunked body within the limit on to the route whole', async () => {
    const { app } = appWithRoutes();
    const { body } = countedStream(SLACK_MAX_BODY_BYTES);
    expect(await (await app.fetch(post('/slack/events', body))).text()).toBe(`read ${SLACK_MAX_BODY_BYTES}`);
  });

  it.each([
    ['POST', '/not-a-route'],
    ['OPTIONS', '/webhook/trk-1'],
    ['POST', '/healthz'],
  ])('gives %s %s the small default limit', async (method, path) => {
    const { app } = appWithRoutes();
    const res = await app.fetch(new Request(`http://127.0.0.1${path}`, { method, body: 'a'.repeat(DEFAULT_MAX_BODY_BYTES + 1) }));
    expect(res.status).toBe(413);
  });

  it('counts a refused webhook body as a rejected webhook request in /metrics', async () => {
    const { testRuntime, jsonPost } = await import('../../support/runtime.ts');
    const rt = await testRuntime();
    try {
      // The test manifest's webhook channel takes 4096 bytes.
      expect((await rt.app.request('/webhook', jsonPost('a'.repeat(4097)))).status).toBe(413);
      expect(await (await rt.app.request('/metrics')).text()).toContain('revops_webhook_requests_rejected_total{source="webhook",request_type="too_large"} 1');
    } finally {
      await rt.dispose();
    }
  });

  it('leaves the webhook route on the default limit when there is no webhook channel', async () => {
    const app = createApp({ channels: [webhookRoutes({})], health: async () => ({}), logger: silentLogger() });
    expect((await app.fetch(post('/webhook', 'a'.repeat(DEFAULT_MAX_BODY_BYTES + 1)))).status).toBe(413);
    expect((await app.fetch(post('/webhook', '{}'))).status).toBe(404);
  });
});
