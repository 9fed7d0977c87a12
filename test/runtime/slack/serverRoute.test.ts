/** The Slack ingress mounted in the runtime's Hono app at `POST /slack/events`, called in process. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AckRegistry } from '../../../runtime/channels/slack/ackRegistry.ts';
import { createSlackIngress } from '../../../runtime/channels/slack/index.ts';
import { silentLogger as runtimeSilentLogger } from '../../../runtime/logging/logger.ts';
import { createApp } from '../../../runtime/server/createApp.ts';
import { slackRoutes } from '../../../runtime/channels/slack/routes.ts';
import { MemoryQueue, silentLogger } from './fixtures.ts';
import { slackChannel } from '../helpers/manifest.ts';
import { SlackApiStandIn } from './slackApiStandIn.ts';
import { BOT_TOKEN, eventEnvelope, SIGNING_SECRET, signedRequest } from './slackRequests.ts';

const api = new SlackApiStandIn();
beforeAll(async () => {
  await api.start();
});
afterAll(async () => {
  await api.stop();
});

describe('POST /slack/events on the runtime server', () => {
  it('accepts a signed mention, refuses an unsigned one, and queues the mention once', async () => {
    const queue = new MemoryQueue();
    const ingress = createSlackIngress({
      channel: slackChannel(), signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: api.url,
      enqueue: queue.send, logger: silentLogger, acks: new AckRegistry(),
    });
    const app = createApp({ channels: [slackRoutes(ingress)], health: async () => ({}), logger: runtimeSilentLogger() });
    const body = eventEnvelope({ eventId: 'Ev-server' });
    const now = Math.floor(Date.now() / 1000);
    const url = 'http://127.0.0.1/slack/events';
    expect((await app.fetch(signedRequest(body, { timestampSec: now, url }))).status).toBe(200);
    expect((await app.fetch(signedRequest(body, { timestampSec: now, url, unsigned: true }))).status).toBe(401);
    expect((await app.fetch(signedRequest(body, { timestampSec: now, url, headers: { 'x-slack-retry-num': '1' } }))).status).toBe(200);
    await ingress.whenIdle();
    expect(queue.messages.map((m) => m.dedupeKey)).toEqual(['Ev-server']);
    expect(api.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('answers a signed JSON null 400, not 500', async () => {
    const ingress = createSlackIngress({
      channel: slackChannel(), signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, apiUrl: api.url,
      enqueue: new MemoryQueue().send, logger: silentLogger, acks: new AckRegistry(),
    });
    const app = createApp({ channels: [slackRoutes(ingress)], health: async () => ({}), logger: runtimeSilentLogger() });
    const res = await app.fetch(signedRequest('null', { timestampSec: Math.floor(Date.now() / 1000), url: 'http://127.0.0.1/slack/events' }));
    expect(res.status).toBe(400);
  });
});
