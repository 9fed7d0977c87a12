/**
 * Sessions belong to their channel and caller (issue 10, defect 1), through the real server: signed Slack events
 * into `/slack/events`, webhook requests into `/webhook` with bearer key A, bearer key B or an HMAC signature, the
 * runtime's queues and processor, and one offline engine over the compiled specs and the sample warehouse, shared by
 * both channels as in `revops serve`. One principal asks about the IXIS deal in a session; another asks "and what
 * are its risks?" under the same raw session id: only the first principal's follow-up may know which deal is meant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signatureHeaders } from '../../../runtime/channels/webhook/signature.ts';
import type { Engine } from '../../../runtime/engines/engine.ts';
import { seedProject, type SeededProject } from '../engines/offline/seedProject.ts';
import { SIGNING_SECRET, testRuntime, type TestRuntime } from '../../support/runtime.ts';
import { BOT_USER_ID, SlackApiStandIn } from '../../support/slackApiStandIn.ts';
import { BOT_TOKEN, eventEnvelope, SIGNING_SECRET as SLACK_SECRET, signedRequest } from '../channels/slack/slackRequests.ts';

const KEY_A = 'caller-a-key-0123456789abcdef';
const KEY_B = 'caller-b-key-0123456789abcdef';
const api = new SlackApiStandIn();
let project: SeededProject;
let rt: TestRuntime;
/** What the engine was asked and answered, in order. */
const turns: Array<{ sessionId: string; answer: string }> = [];

beforeAll(async () => {
  await api.start();
  project = await seedProject({ scale: 300 });
  const { manifest, engine: offline } = project;
  const engine: Engine = {
    name: offline.name,
    async *invoke(request) {
      for await (const event of offline.invoke(request)) {
        if (event.type === 'answer' && event.agent === manifest.channels[0]!.entry) turns.push({ sessionId: request.sessionId, answer: event.text });
        yield event;
      }
    },
  };
  rt = await testRuntime({
    manifest, engine,
    env: { WEBHOOK_API_KEYS: `${KEY_A},${KEY_B}`, SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: api.url },
  });
}, 120_000);

afterAll(async () => {
  await rt?.dispose();
  await project?.close();
  await api.stop();
});

/** The offline engine's answer when the question names no deal and the session gives none. */
const NO_DEAL = /couldn't tell which deal/;
const aboutIxis = (answer: string): boolean => /IXIS/.test(answer) && !NO_DEAL.test(answer);

type Principal = 'slack' | 'key A' | 'key B' | 'signer';
const PRINCIPALS: Principal[] = ['slack', 'key A', 'key B', 'signer'];
let events = 0;

/**
 * Asks `text` as `who` in the session whose raw id is `channel:ts` (a Slack thread's own id; a webhook caller sends
 * it as `session_id`), runs the message through the runtime's processor, and returns what the entry agent answered.
 */
async function ask(who: Principal, text: string, channel: string, ts: string): Promise<{ sessionId: string; answer: string }> {
  const queue = rt.queues[who === 'slack' ? 'slack' : 'webhook']!;
  if (who === 'slack') {
    events += 1;
    const body = eventEnvelope({ eventId: `Ev-scope-${events}`, text: `<@${BOT_USER_ID}> ${text}`, channel, ts: `${ts.split('.')[0]}.${String(events).padStart(6, '0')}`, threadTs: ts });
    const res = await rt.app.request(signedRequest(body, { timestampSec: Math.floor(Date.now() / 1000) }));
    expect(res.status).toBe(200);
  } else {
    const body = JSON.stringify({ query: text, source_system: 'crm_dashboard', session_id: `${channel}:${ts}` });
    const auth = who === 'signer'
      ? signatureHeaders(SIGNING_SECRET, body, Date.now())
      : { authorization: `Bearer ${who === 'key A' ? KEY_A : KEY_B}` };
    const res = await rt.app.request('/webhook', { method: 'POST', body, headers: { 'content-type': 'application/json', ...auth } });
    expect(res.status).toBe(200);
  }
  const [received] = await queue.receive({ max: 1 });
  if (!received) throw new Error(`nothing queued for ${who}`);
  const before = turns.length;
  await rt.processor.process(received.message, received.receiveCount);
  await queue.ack(received.receiptHandle);
  expect(turns).toHaveLength(before + 1);
  return turns.at(-1)!;
}

describe('sessions belong to their channel and caller', () => {
  it('reproduction: a webhook session_id naming a private Slack thread is not answered from that thread', async () => {
    const thread = await ask('slack', 'what is the status of the IXIS deal?', 'CPRIVATE', '1666000000.000100');
    expect(aboutIxis(thread.answer)).toBe(true);
    const hijack = await ask('key A', 'and what are its risks?', 'CPRIVATE', '1666000000.000100');
    expect(hijack.answer).toMatch(NO_DEAL);
    expect(hijack.sessionId).not.toBe(thread.sessionId);
    const own = await ask('slack', 'and what are its risks?', 'CPRIVATE', '1666000000.000100');
    expect(own.sessionId).toBe(thread.sessionId);
    expect(aboutIxis(own.answer)).toBe(true);
    expect(own.answer).toMatch(/risk/i);
  }, 60_000);

  const pairs = PRINCIPALS.flatMap((first) => PRINCIPALS.map((second) => [first, second] as const));
  it.each(pairs.map(([first, second], i) => [first, second, i] as const))(
    '%s starts a session, %s follows up under the same raw session id', async (first, second, i) => {
      const channel = `CSCOPE${i}`;
      const ts = `17000${String(i).padStart(5, '0')}.000100`;
      const opening = await ask(first, 'what is the status of the IXIS deal?', channel, ts);
      expect(aboutIxis(opening.answer)).toBe(true);
      const followUp = await ask(second, 'and what are its risks?', channel, ts);
      if (first === second) {
        expect(followUp.sessionId).toBe(opening.sessionId);
        expect(aboutIxis(followUp.answer)).toBe(true);
      } else {
        expect(followUp.answer).toMatch(NO_DEAL);
        expect(followUp.sessionId).not.toBe(opening.sessionId);
      }
    }, 60_000);
});
