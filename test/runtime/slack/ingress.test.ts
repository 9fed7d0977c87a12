import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AckRegistry } from '../../../runtime/channels/slack/ackRegistry.ts';
import { createSlackIngress, type SlackIngress } from '../../../runtime/channels/slack/index.ts';
import type { SlackInbound } from '../../../runtime/processing/inbound.ts';
import { ManualClock, MemoryQueue, silentLogger } from './fixtures.ts';
import { slackChannel } from '../helpers/manifest.ts';
import { BOT_USER_ID, SlackApiStandIn } from './slackApiStandIn.ts';
import { BOT_TOKEN, eventEnvelope, SIGNING_SECRET, signedRequest } from './slackRequests.ts';

const api = new SlackApiStandIn();
beforeAll(async () => {
  await api.start();
});
afterAll(async () => {
  await api.stop();
});

let queue: MemoryQueue;
let clock: ManualClock;
let acks: AckRegistry;
let ingress: SlackIngress;

const build = (over: Partial<Parameters<typeof createSlackIngress>[0]> = {}) =>
  createSlackIngress({
    channel: slackChannel(),
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    apiUrl: api.url,
    retryConfig: { retries: 0 },
    enqueue: queue.send,
    logger: silentLogger,
    now: clock.now,
    acks,
    ...over,
  });

beforeEach(() => {
  api.calls.length = 0;
  queue = new MemoryQueue();
  clock = new ManualClock(Date.parse('2025-08-16T16:30:00Z'));
  acks = new AckRegistry();
  ingress = build();
});
afterEach(async () => {
  await ingress.whenIdle();
});

const send = (body: unknown, o: Partial<Parameters<typeof signedRequest>[1]> = {}) =>
  ingress.handle(signedRequest(body, { timestampSec: clock.seconds, ...o }));

describe('Slack request verification', () => {
  const mention = eventEnvelope({ eventId: 'Ev-verify' });

  it.each([
    ['unsigned', { unsigned: true }],
    ['signed with another secret', { secret: 'not-the-secret' }],
    ['stale: signed 5 minutes and 1 second ago', { timestampSec: -301 }],
    ['from the future: more than 5 minutes ahead', { timestampSec: 301 }],
  ])('refuses a request %s with 401 and queues nothing', async (_name, o: { unsigned?: boolean; secret?: string; timestampSec?: number }) => {
    const res = await send(mention, { ...o, timestampSec: clock.seconds + (o.timestampSec ?? 0) });
    expect(res.status).toBe(401);
    expect(queue.messages).toHaveLength(0);
  });

  it('accepts a request signed exactly 5 minutes ago (the edge of the replay window)', async () => {
    const res = await send(mention, { timestampSec: clock.seconds - 300 });
    expect(res.status).toBe(200);
    expect(queue.messages).toHaveLength(1);
  });

  it('refuses a body altered after signing', async () => {
    const req = signedRequest(mention, { timestampSec: clock.seconds });
    const tampered = new Request(req.url, { method: 'POST', headers: req.headers, body: JSON.stringify({ ...mention, event_id: 'Ev-other' }) });
    expect((await ingress.handle(tampered)).status).toBe(401);
  });

  it('refuses a captured request replayed after the window, and answers an in-window replay once', async () => {
    const captured = signedRequest(mention, { timestampSec: clock.seconds });
    const replay = () => new Request(captured.url, { method: 'POST', headers: captured.headers, body: JSON.stringify(mention) });
    expect((await ingress.handle(replay())).status).toBe(200);
    expect((await ingress.handle(replay())).status).toBe(200);
    clock.advance(301_000);
    expect((await ingress.handle(replay())).status).toBe(401);
    await ingress.whenIdle();
    expect(queue.messages).toHaveLength(1);
    expect(api.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('answers the url_verification challenge', async () => {
    const res = await send({ token: 't', challenge: 'c-123', type: 'url_verification' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ challenge: 'c-123' });
  });

  it('refuses an unsigned url_verification', async () => {
    const res = await send({ challenge: 'c-123', type: 'url_verification' }, { unsigned: true });
    expect(res.status).toBe(401);
  });

  it('answers 400 for a signed body that is not JSON', async () => {
    expect((await send('not json')).status).toBe(400);
  });

  it.each(['null', '[]', '[{"type":"url_verification"}]', '42', '"event_callback"', 'true'])(
    'answers 400 for a signed JSON body that is not an object (%s) and queues nothing', async (raw) => {
      const res = await send(raw);
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(/not a JSON object/);
      expect(queue.messages).toHaveLength(0);
    });

  it('answers 400 for a signed form body whose payload is JSON null', async () => {
    const res = await send('payload=null', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(res.status).toBe(400);
  });
});

describe('Slack mentions and direct messages', () => {
  it('queues a mention with the mention stripped, the thread as session and the event id as dedupe key', async () => {
    const res = await send(eventEnvelope({ eventId: 'Ev-1', text: `<@${BOT_USER_ID}> what is the status of the IXIS deal?` }));
    expect(res.status).toBe(200);
    const [m] = queue.messages as SlackInbound[];
    expect(m).toMatchObject({
      kind: 'slack',
      dedupeKey: 'Ev-1',
      channel: 'slack',
      agent: 'manager',
      text: 'what is the status of the IXIS deal?',
      sessionId: 'slack:T0001:C0CHAN01:1700000000.000100',
      receivedAt: '2025-08-16T16:30:00.000Z',
      slack: { channel: 'C0CHAN01', threadTs: '1700000000.000100', user: 'U0USER01', team: 'T0001' },
    });
    expect(m?.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('posts the acknowledgement in the thread after queueing, and registers its ts for the delivery', async () => {
    await send(eventEnvelope({ eventId: 'Ev-ack', ts: '1700000001.000200' }));
    await ingress.whenIdle();
    const [post] = api.callsOf('chat.postMessage');
    expect(post?.params).toMatchObject({ channel: 'C0CHAN01', thread_ts: '1700000001.000200', text: slackChannel().acknowledgement });
    expect(post?.token).toBe(BOT_TOKEN);
    expect(await acks.lookup('Ev-ack')).toMatch(/^\d+\.\d+$/);
  });

  it('gives every event its own correlation id while the thread keeps one session', async () => {
    await send(eventEnvelope({ eventId: 'Ev-a', ts: '1700000000.000100' }));
    await send(eventEnvelope({ eventId: 'Ev-b', ts: '1700000050.000100', threadTs: '1700000000.000100', user: 'U0OTHER1', text: `<@${BOT_USER_ID}> and what are its risks?` }));
    const [a, b] = queue.messages;
    expect(b?.sessionId).toBe(a?.sessionId);
    expect(b?.id).not.toBe(a?.id);
    expect(b?.text).toBe('and what are its risks?');
  });

  it('keeps one session per thread in a channel shared with another organisation (the workspace, not the writer\'s team)', async () => {
    await send(eventEnvelope({ eventId: 'Ev-own', ts: '1700000000.000100' }));
    const guest = eventEnvelope({ eventId: 'Ev-guest', ts: '1700000060.000100', threadTs: '1700000000.000100', user: 'U0GUEST1' });
    (guest.event as Record<string, unknown>).team = 'T0GUEST1';
    await send(guest);
    const [own, fromGuest] = queue.messages as SlackInbound[];
    expect(fromGuest?.slack.team).toBe('T0GUEST1');
    expect(fromGuest?.sessionId).toBe(own?.sessionId);
    expect(own?.sessionId).toBe('slack:T0001:C0CHAN01:1700000000.000100');
  });

  it('answers a Slack retry (X-Slack-Retry-Num) with 200 and queues and acknowledges the event once', async () => {
    const body = eventEnvelope({ eventId: 'Ev-retry' });
    expect((await send(body)).status).toBe(200);
    const retry = await send(body, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.status).toBe(200);
    await ingress.whenIdle();
    expect(queue.messages).toHaveLength(1);
    expect(api.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('answers a duplicate event id seen by another ingress instance once (the queue dedupes)', async () => {
    const body = eventEnvelope({ eventId: 'Ev-dup' });
    await send(body);
    ingress = build(); // a fresh instance: its in-memory fast path knows nothing
    expect((await send(body, { headers: { 'x-slack-retry-num': '2' } })).status).toBe(200);
    await ingress.whenIdle();
    expect(queue.messages).toHaveLength(1);
    expect(api.callsOf('chat.postMessage')).toHaveLength(1);
  });

  it('queues a direct message in an IM', async () => {
    await send(eventEnvelope({ eventId: 'Ev-im', type: 'message', channelType: 'im', channel: 'D0DM0001', text: 'pipeline by stage' }));
    expect(queue.messages[0]).toMatchObject({ text: 'pipeline by stage', sessionId: 'slack:T0001:D0DM0001:1700000000.000100' });
  });

  it.each([
    ['a bot message', { botId: 'B0OTHER1', subtype: 'bot_message' }],
    ['an edit', { subtype: 'message_changed' }],
    ["the bot's own post", { user: BOT_USER_ID }],
    ['a plain channel message', { channelType: 'channel' }],
  ])('ignores %s (answered 200, nothing queued, nothing posted)', async (_name, over) => {
    const res = await send(eventEnvelope({ eventId: 'Ev-ignored', type: 'message', channelType: 'im', ...over }));
    expect(res.status).toBe(200);
    await ingress.whenIdle();
    expect(queue.messages).toHaveLength(0);
    expect(api.callsOf('chat.postMessage')).toHaveLength(0);
  });

  it('answers a bare mention with a hint instead of queueing an empty question', async () => {
    await send(eventEnvelope({ eventId: 'Ev-empty', text: `<@${BOT_USER_ID}>  ` }));
    await ingress.whenIdle();
    expect(queue.messages).toHaveLength(0);
    expect(api.callsOf('chat.postMessage')[0]?.params.text).toMatch(/Ask me a question/);
  });
});

describe('Slack acknowledgement and durability', () => {
  it('answers 500 when the queue cannot take the message, and posts no acknowledgement', async () => {
    queue.failure = new Error('disk full');
    const res = await send(eventEnvelope({ eventId: 'Ev-fail' }));
    expect(res.status).toBe(500);
    await ingress.whenIdle();
    expect(api.callsOf('chat.postMessage')).toHaveLength(0);
    // Slack's retry, once the queue recovers, is accepted (the failed attempt was not remembered as accepted).
    queue.failure = undefined;
    expect((await send(eventEnvelope({ eventId: 'Ev-fail' }), { headers: { 'x-slack-retry-num': '1' } })).status).toBe(200);
    expect(queue.messages).toHaveLength(1);
  });

  it('answers 503 with a logged fix when the queue does not confirm within the ack bound', async () => {
    queue.delayMs = 300;
    ingress = build({ ackTimeoutMs: 50 });
    const res = await send(eventEnvelope({ eventId: 'Ev-slow' }));
    expect(res.status).toBe(503);
    expect(silentLogger.lines.some((l) => l.code === 'slack_not_acknowledged' && typeof l.next === 'string')).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    // The write finished late; Slack's retry is answered once.
    expect((await send(eventEnvelope({ eventId: 'Ev-slow' }), { headers: { 'x-slack-retry-num': '1' } })).status).toBe(200);
    expect(queue.messages).toHaveLength(1);
  });

  it('with postAckInBackground false, posts the acknowledgement first and carries its ts in the message', async () => {
    ingress = build({ postAckInBackground: false });
    await send(eventEnvelope({ eventId: 'Ev-lambda' }));
    const [m] = queue.messages as SlackInbound[];
    const [post] = api.callsOf('chat.postMessage');
    expect(m?.slack.ackTs).toMatch(/^\d+\.\d+$/);
    expect(post).toBeDefined();
  });

  it('still queues the question when the acknowledgement cannot be posted', async () => {
    api.fail('chat.postMessage', { error: 'channel_not_found' });
    ingress = build({ postAckInBackground: false });
    expect((await send(eventEnvelope({ eventId: 'Ev-noack' }))).status).toBe(200);
    expect((queue.messages[0] as SlackInbound).slack.ackTs).toBeUndefined();
  });
});
