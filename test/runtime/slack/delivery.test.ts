import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AckRegistry } from '../../../runtime/channels/slack/ackRegistry.ts';
import { createSlackDelivery } from '../../../runtime/channels/slack/index.ts';
import { toMrkdwn } from '../../../runtime/channels/slack/mrkdwn.ts';
import { SECTION_TEXT_LIMIT, slackMessages } from '../../../runtime/channels/slack/splitMessage.ts';
import type { TraceEvent } from '../../../runtime/engines/trace.ts';
import { apology } from '../../../runtime/processing/apology.ts';
import type { Outcome, SlackInbound } from '../../../runtime/processing/inbound.ts';
import { ManualClock, silentLogger } from './fixtures.ts';
import { slackChannel } from '../helpers/manifest.ts';
import { SlackApiStandIn } from './slackApiStandIn.ts';
import { BOT_TOKEN } from './slackRequests.ts';

const api = new SlackApiStandIn();
beforeAll(async () => {
  await api.start();
});
afterAll(async () => {
  await api.stop();
});

let clock: ManualClock;
let acks: AckRegistry;
const progress = { minIntervalMs: 1_000, maxUpdates: 4 };
const build = () =>
  createSlackDelivery({ channel: slackChannel({ progress }), botToken: BOT_TOKEN, apiUrl: api.url, retryConfig: { retries: 0 }, logger: silentLogger, now: clock.now, acks });

beforeEach(() => {
  api.calls.length = 0;
  clock = new ManualClock(Date.parse('2025-08-16T16:30:00Z'));
  acks = new AckRegistry();
});

const message = (over: Partial<SlackInbound['slack']> = {}, id = 'corr-0001-aaaa'): SlackInbound => ({
  kind: 'slack',
  id,
  dedupeKey: `Ev-${id}`,
  channel: 'slack',
  agent: 'manager',
  text: 'what is the status of the IXIS deal?',
  sessionId: 'C0CHAN01:1700000000.000100',
  receivedAt: '2025-08-16T16:30:00.000Z',
  slack: { channel: 'C0CHAN01', threadTs: '1700000000.000100', user: 'U0USER01', ackTs: '1699999999.000001', ...over },
});

const at = '2025-08-16T16:30:00.000Z';
const SQL = "SELECT o.opportunity_name FROM opportunities o WHERE o.opportunity_name ILIKE '%IXIS%'";
const trace: TraceEvent[] = [
  { type: 'route', agent: 'manager', at, target: 'deal_analysis', confidence: 0.9, reason: SQL },
  { type: 'delegate', agent: 'manager', at, target: 'deal_analysis', input: 'status of IXIS, password=hunter2' },
  { type: 'tool_call', agent: 'deal_analysis', at, tool: 'deal_lookup', callId: 'c1', parameters: { deal_name: 'IXIS', sql: SQL } },
  { type: 'tool_result', agent: 'deal_analysis', at, tool: 'deal_lookup', callId: 'c1', ok: true, rowCount: 12, summary: SQL, rows: [{ secret: 'xoxb-leak' }] },
  { type: 'tool_call', agent: 'deal_analysis', at, tool: 'deal_calls', callId: 'c2', parameters: { account: 'IXIS Corp' } },
  { type: 'tool_result', agent: 'deal_analysis', at, tool: 'deal_calls', callId: 'c2', ok: false, error: `timeout running ${SQL} on host fb.internal` },
  { type: 'answer', agent: 'manager', at, text: '**Deal Status: IXIS**' },
];

const outcome = (answer: string, status: Outcome['status'] = 'done'): Outcome => ({
  status,
  answer,
  events: trace,
  sqlQueries: 0,
  startedAt: at,
  finishedAt: at,
});

async function play(delivery: ReturnType<typeof build>, m: SlackInbound, events: TraceEvent[], stepMs: number) {
  for (const e of events) {
    await delivery.progress(m, e);
    clock.advance(stepMs);
  }
}

describe('Slack progress', () => {
  it('edits the acknowledgement with agent names, tool names and row counts, never SQL, parameters or secrets', async () => {
    const delivery = build();
    const m = message();
    await play(delivery, m, trace, 1_500);
    await delivery.deliver(m, outcome('**Deal Status: IXIS**'));
    const updates = api.callsOf('chat.update').map((c) => String(c.params.text));
    expect(api.callsOf('chat.update').every((c) => c.params.ts === '1699999999.000001' && c.params.channel === 'C0CHAN01')).toBe(true);
    const lines = updates.map((u) => u.split('\n> ')[1]);
    expect(lines).toEqual(['Routing to Deal Analysis…', 'Running `deal_lookup`…', 'Retrieved 12 rows', 'Running `deal_calls`…', 'Done — the answer is below.']);
    for (const u of updates) {
      expect(u.startsWith(slackChannel().acknowledgement)).toBe(true);
      for (const leak of ['SELECT', 'ILIKE', 'IXIS', 'hunter2', 'xoxb', 'fb.internal', 'deal_name']) expect(u).not.toContain(leak);
    }
  });

  it('shows no more often than minIntervalMs (injectable clock)', async () => {
    const delivery = build();
    const m = message();
    await play(delivery, m, trace.slice(0, 5), 400); // 0, 400, 800, 1200, 1600 ms
    await delivery.deliver(m, outcome('ok'));
    const lines = api.callsOf('chat.update').map((c) => String(c.params.text).split('\n> ')[1]);
    // shown at 0 ms (route) and 1200 ms (the result); 400/800 too soon, 1600 too soon after 1200.
    expect(lines).toEqual(['Routing to Deal Analysis…', 'Retrieved 12 rows', 'Done — the answer is below.']);
  });

  it('shows at most maxUpdates lines and skips repeats and near-repeats', async () => {
    const delivery = build();
    const m = message();
    const many: TraceEvent[] = Array.from({ length: 20 }, (_, i) => [
      { type: 'tool_call', agent: 'deal_analysis', at, tool: 'deal_lookup', callId: `c${i}`, parameters: {} } as TraceEvent,
      { type: 'tool_result', agent: 'deal_analysis', at, tool: 'deal_lookup', callId: `c${i}`, ok: true, rowCount: i } as TraceEvent,
    ]).flat();
    await play(delivery, m, many, 5_000);
    await delivery.deliver(m, outcome('ok'));
    const lines = api.callsOf('chat.update').map((c) => String(c.params.text).split('\n> ')[1]);
    expect(lines.slice(0, -1)).toEqual(['Running `deal_lookup`…', 'Retrieved 0 rows']);
    const repeated = [...many.slice(0, 2), { ...many[2], tool: 'pipeline_by_stage' } as TraceEvent, ...many.slice(3)];
    api.calls.length = 0;
    const m2 = message({}, 'corr-0002-bbbb');
    await play(delivery, m2, repeated.concat(trace.slice(0, 1), trace.slice(4)), 5_000);
    await delivery.deliver(m2, outcome('ok'));
    expect(api.callsOf('chat.update').length - 1).toBe(progress.maxUpdates);
  });

  it('waits for the acknowledgement the ingress is still posting (AckRegistry), then edits it', async () => {
    let resolveAck!: (ts: string) => void;
    const m = message({ ackTs: undefined });
    delete m.slack.ackTs;
    acks.register(m.dedupeKey, new Promise((r) => (resolveAck = r)));
    const delivery = build();
    await delivery.progress(m, trace[0] as TraceEvent);
    setTimeout(() => resolveAck('1700000005.000500'), 20);
    await delivery.deliver(m, outcome('answer'));
    expect(api.callsOf('chat.update').map((c) => c.params.ts)).toEqual(['1700000005.000500', '1700000005.000500']);
  });

  it('withdraws an acknowledgement that has not been posted yet and posts its own status message instead', async () => {
    const m = message();
    delete m.slack.ackTs;
    let withdrawn = false;
    acks.register(m.dedupeKey, new Promise<string | undefined>((resolve) => setTimeout(() => resolve(withdrawn ? undefined : 'late'), 10)), () => {
      withdrawn = true;
      return true;
    });
    const delivery = build();
    await play(delivery, m, trace.slice(0, 1), 2_000);
    await delivery.deliver(m, outcome('answer'));
    expect(withdrawn).toBe(true);
    const [status] = api.callsOf('chat.postMessage');
    expect(String(status?.params.text)).toContain('Routing to Deal Analysis…');
    expect(api.callsOf('chat.update').map((c) => c.params.ts)).not.toContain('late');
  });

  it('posts a status message when no acknowledgement is known, and edits that one from then on', async () => {
    const m = message();
    delete m.slack.ackTs;
    const delivery = build();
    await play(delivery, m, trace.slice(0, 3), 2_000);
    await delivery.deliver(m, outcome('answer'));
    const [status, answer] = api.callsOf('chat.postMessage');
    expect(status?.params).toMatchObject({ thread_ts: '1700000000.000100' });
    expect(String(status?.params.text)).toContain('Routing to Deal Analysis…');
    expect(String(answer?.params.text)).toBe('answer');
    expect(api.callsOf('chat.update').length).toBe(2);
  });

  it('keeps going when a progress edit fails', async () => {
    api.fail('chat.update', { error: 'message_not_found' });
    const delivery = build();
    const m = message();
    await play(delivery, m, trace.slice(0, 3), 2_000);
    await delivery.deliver(m, outcome('the answer'));
    expect(api.callsOf('chat.postMessage').map((c) => c.params.text)).toEqual(['the answer']);
  });
});

describe('Slack answers', () => {
  it('posts the answer in the thread as mrkdwn with links and without unfurls, then marks the acknowledgement done', async () => {
    const delivery = build();
    await delivery.deliver(message(), outcome('**Deal Status: IXIS**\n- Stage: Negotiate\n- See [the opportunity](https://crm.example.com/o/1)'));
    const [post] = api.callsOf('chat.postMessage');
    expect(post?.params).toMatchObject({ channel: 'C0CHAN01', thread_ts: '1700000000.000100', unfurl_links: 'false', unfurl_media: 'false' });
    const text = String(post?.params.text).replace(/\u200b/g, '');
    expect(text).toContain('*Deal Status: IXIS*');
    expect(text).toContain('<https://crm.example.com/o/1|the opportunity>');
    expect(post?.params.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: post?.params.text } }]);
    expect(String(api.callsOf('chat.update')[0]?.params.text)).toContain('Done');
  });

  it('splits a long answer into several messages in order, nothing lost', async () => {
    const paragraphs = Array.from({ length: 700 }, (_, i) => `Deal ${i}: stage Negotiate, amount $${i * 1000}, next step call on day ${i}.`);
    const delivery = build();
    await delivery.deliver(message(), outcome(paragraphs.join('\n\n')));
    const posts = api.callsOf('chat.postMessage');
    expect(posts.length).toBeGreaterThan(1);
    const blocks = posts.flatMap((p) => p.params.blocks as Array<{ text: { text: string } }>);
    for (const b of blocks) expect(b.text.text.length).toBeLessThanOrEqual(SECTION_TEXT_LIMIT);
    const received = blocks.map((b) => b.text.text).join('\n\n').replace(/\\/g, '').split(/\n\n/);
    expect(received).toEqual(paragraphs);
  });

  it('throws when Slack refuses the answer, and a retry posts only the parts not yet posted', async () => {
    const answer = Array.from({ length: 2_000 }, (_, i) => `Line ${i} ${'abc '.repeat(10)}`).join('\n\n');
    const total = slackMessages(toMrkdwn(answer)).length;
    expect(total).toBeGreaterThan(2);
    const delivery = build();
    const m = message();
    api.script('chat.postMessage', [undefined, { status: 500 }]);
    await expect(delivery.deliver(m, outcome(answer))).rejects.toMatchObject({ code: 'slack_web_api_failed' });
    expect(api.callsOf('chat.update')).toHaveLength(0);
    await delivery.deliver(m, outcome(answer));
    const texts = api.callsOf('chat.postMessage').map((c) => String(c.params.text));
    // one success, one refused, then the remaining total - 1 parts: every part accepted exactly once, in order
    expect(texts).toHaveLength(total + 1);
    const accepted = [texts[0], ...texts.slice(2)];
    expect(accepted).toEqual(slackMessages(toMrkdwn(answer)).map((p) => p.text));
  });

  it.each([
    ['a failure with a stack trace', outcome('Error: boom\n    at run (/srv/app/x.ts:1:2)', 'failed')],
    ['an empty answer', outcome('   ')],
    ['a failure with an empty text', outcome('', 'failed')],
  ])('answers %s with a short apology naming the correlation id', async (_name, o) => {
    const delivery = build();
    await delivery.deliver(message(), o);
    const [post] = api.callsOf('chat.postMessage');
    const text = String(post?.params.text);
    expect(text).toMatch(/^Sorry/);
    expect(text).toContain('corr-0001-aaaa');
    expect(text).not.toMatch(/boom|\/srv\/app/);
    expect(String(api.callsOf('chat.update')[0]?.params.text)).toContain('could not finish');
  });

  it('falls back to the apology the processor gives (one text, processing/apology.ts), with the error code', async () => {
    const delivery = build();
    const failed = { ...outcome('Error: boom\n    at run (/srv/app/x.ts:1:2)', 'failed'), error: { code: 'engine_failed', message: 'The engine stopped unexpectedly.' } };
    await delivery.deliver(message(), failed);
    expect(api.callsOf('chat.postMessage')[0]?.params.text).toBe(apology('corr-0001-aaaa', 'engine_failed'));
  });

  it("keeps the processor's apology when it names the correlation id", async () => {
    const delivery = build();
    await delivery.deliver(message(), outcome('Sorry, the warehouse did not answer in time. Reference corr-0001-aaaa.', 'failed'));
    expect(api.callsOf('chat.postMessage')[0]?.params.text).toBe('Sorry, the warehouse did not answer in time. Reference corr-0001-aaaa.');
  });

  it('waits out a rate limit (429 Retry-After) and then posts', async () => {
    api.fail('chat.postMessage', { status: 429, retryAfterSeconds: 1 });
    // the production retry policy (no test override): the WebClient waits Retry-After, then tries again
    const delivery = createSlackDelivery({ channel: slackChannel({ progress }), botToken: BOT_TOKEN, apiUrl: api.url, logger: silentLogger, now: clock.now, acks });
    await delivery.deliver(message(), outcome('after the limit'));
    const posts = api.callsOf('chat.postMessage');
    expect(posts.map((p) => p.params.text)).toEqual(['after the limit', 'after the limit']);
  });
});
