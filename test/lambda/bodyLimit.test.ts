/** The body limit on Lambda: API Gateway hands the whole body over in the event; it is refused before any route reads it. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createHttpHandler } from '../../runtime/lambda/httpIngress.ts';
import { silentLogger } from '../../runtime/logging/logger.ts';
import { SLACK_MAX_BODY_BYTES, slackRoutes } from '../../runtime/channels/slack/routes.ts';
import { createApp } from '../../runtime/server/createApp.ts';

async function slackEvent(body: string, options: { base64?: boolean; headers?: Record<string, string> } = {}) {
  const event = JSON.parse(await readFile(new URL('./fixtures/apigw-v2-webhook-post.json', import.meta.url), 'utf8'));
  event.rawPath = '/slack/events';
  event.routeKey = 'POST /slack/events';
  event.requestContext.http.path = '/slack/events';
  event.headers = { ...event.headers, ...options.headers };
  event.body = options.base64 ? Buffer.from(body).toString('base64') : body;
  event.isBase64Encoded = Boolean(options.base64);
  return event;
}

describe('body limit behind API Gateway', () => {
  const reached: number[] = [];
  const handler = createHttpHandler(async () => createApp({
    channels: [slackRoutes({ handle: async (request) => { reached.push((await request.arrayBuffer()).byteLength); return new Response('', { status: 401 }); } })],
    health: async () => ({}), logger: silentLogger(),
  }));

  it.each([
    ['plain', {}],
    ['base64', { base64: true }],
    ['with a Content-Length header that understates it', { headers: { 'content-length': '10' } }],
  ])('refuses a Slack body one byte over the limit (%s) with 413 and reaches no route', async (_name, options) => {
    reached.length = 0;
    const response = await handler(await slackEvent('a'.repeat(SLACK_MAX_BODY_BYTES + 1), options) as never);
    expect(response.statusCode).toBe(413);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'body_too_large' } });
    expect(reached).toEqual([]);
  });

  it('hands a body at the limit to the route', async () => {
    reached.length = 0;
    const response = await handler(await slackEvent('a'.repeat(SLACK_MAX_BODY_BYTES), { base64: true }) as never);
    expect(response.statusCode).toBe(401);
    expect(reached).toEqual([SLACK_MAX_BODY_BYTES]);
  });
});
