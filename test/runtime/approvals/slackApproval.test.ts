/**
 * Approval in Slack (issue 13), through the real server, the real Bolt app and WebClient, and the Slack API stand-in:
 * the proposal arrives in the thread with Approve / Cancel; only a member of the approvers' user group counts; two
 * approvers at once, and a replayed click, perform once; a forged click is refused; the message then reads
 * "Approved by @x — done" and the result is posted in the thread.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../../compiler/manifest.ts';
import { BOT_TOKEN, eventEnvelope, signature, SIGNING_SECRET } from '../channels/slack/slackRequests.ts';
import { SlackApiStandIn, type RecordedCall } from '../../support/slackApiStandIn.ts';
import { approvalWorld, eventually, type World } from './approvalWorld.ts';

const ASKER = 'U0USER01';
const LEADS = ['U0LEAD01', 'U0LEAD02'];
const GROUP = 'S0APPROVERS';
const QUESTION = 'update the next step on the TechFlow deal to security review';

let world: World;
let api: SlackApiStandIn;
let url: string;
beforeEach(async () => {
  api = await new SlackApiStandIn().start();
  api.groups.set(GROUP, LEADS);
  const approvers = (m: Manifest): Manifest => ({
    ...m, channels: m.channels.map((c) => (c.kind === 'slack' ? { ...c, approval: { ...c.approval, approvers: { kind: 'usergroup', usergroup: GROUP } } } : c)),
  });
  world = await approvalWorld(approvers);
  url = (await world.start({ SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: api.url })).server.url;
});
afterEach(async () => {
  await world.close();
  await api.stop();
});

const post = (body: string, contentType: string, secret = SIGNING_SECRET) => {
  const ts = Math.floor(Date.now() / 1000);
  return fetch(`${url}/slack/events`, {
    method: 'POST', body,
    headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': signature(secret, ts, body) },
  });
};

async function proposal(): Promise<{ actionId: string; messageTs: string; call: RecordedCall }> {
  const res = await post(JSON.stringify(eventEnvelope({ eventId: 'Ev0001', user: ASKER, text: `<@UBOT0001> ${QUESTION}` })), 'application/json');
  expect(res.status).toBe(200);
  const withButtons = (): RecordedCall | undefined => api.callsOf('chat.postMessage').find((c) => JSON.stringify(c.params.blocks ?? '').includes('revops_approve'));
  const call = await eventually(async () => withButtons(), Boolean);
  expect(call, 'the approval message was posted').toBeDefined();
  const blocks = call!.params.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>;
  const actionId = blocks.find((b) => b.type === 'actions')!.elements![0]!.value;
  return { actionId, messageTs: String(call!.reply!.ts), call: call! };
}

const click = (user: string, actionId: string, messageTs: string, actionTs: string, approve = true): string => {
  const payload = {
    type: 'block_actions', team: { id: 'T0001' }, user: { id: user, team_id: 'T0001' }, api_app_id: 'A0001', token: 'legacy',
    trigger_id: `trig-${actionTs}`, response_url: 'http://127.0.0.1:9/unused',
    container: { type: 'message', message_ts: messageTs, channel_id: 'C0CHAN01', is_ephemeral: false },
    channel: { id: 'C0CHAN01' }, message: { ts: messageTs, thread_ts: '1700000000.000100', type: 'message', text: 'x' },
    actions: [{ type: 'button', action_id: approve ? 'revops_approve' : 'revops_cancel', block_id: 'b', value: actionId, action_ts: actionTs }],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
};
const FORM = 'application/x-www-form-urlencoded';

describe('Slack approvals', () => {
  it('previews old and new values with Approve and Cancel buttons, and writes nothing before a click', async () => {
    const before = await world.nextStep('TechFlow Migration');
    const { call } = await proposal();
    expect(call.params).toMatchObject({ channel: 'C0CHAN01', thread_ts: '1700000000.000100' });
    expect(String(call.params.text)).toContain(`next step: "${before}" → "security review"`);
    expect(await world.nextStep('TechFlow Migration')).toBe(before);
    expect(world.toolbox.attempts).toBe(0);
  });

  it('an asker outside the approvers group is told so privately; a forged click is refused; two leads at once write once', async () => {
    const before = await world.nextStep('TechFlow Migration');
    const { actionId, messageTs } = await proposal();
    expect((await post(click(ASKER, actionId, messageTs, '1700000001.000001'), FORM)).status).toBe(200);
    const ephemeral = await eventually(async () => api.callsOf('chat.postEphemeral'), (c) => c.length > 0);
    expect(ephemeral[0]!.params).toMatchObject({ user: ASKER, channel: 'C0CHAN01' });
    expect(String(ephemeral[0]!.params.text)).toContain('can approve this; nothing was changed');
    expect(await world.nextStep('TechFlow Migration')).toBe(before);

    expect((await post(click(LEADS[0]!, actionId, messageTs, '1700000002.000001'), FORM, 'not-the-signing-secret')).status).toBe(401);
    expect(world.toolbox.attempts).toBe(0);

    const first = click(LEADS[0]!, actionId, messageTs, '1700000003.000001');
    const statuses = await Promise.all([post(first, FORM), post(click(LEADS[1]!, actionId, messageTs, '1700000003.000002'), FORM), post(first, FORM)]);
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 200]);
    const updated = await eventually(async () => api.callsOf('chat.update').filter((c) => c.params.ts === messageTs), (c) => c.length > 0);
    expect(String(updated[0]!.params.text)).toMatch(/^Approved by <@U0LEAD0[12]> — done$/u);
    await eventually(async () => api.callsOf('chat.postMessage').filter((c) => String(c.params.text).includes('*Done*')), (c) => c.length > 0);
    // The other lead's click finds the action decided: told privately, nothing more done.
    await eventually(async () => api.callsOf('chat.postEphemeral').length, (n) => n >= 2);
    expect(await world.nextStep('TechFlow Migration')).toBe('security review');
    expect(world.toolbox).toMatchObject({ attempts: 1, writes: 1 });
  });

  it('Cancel changes nothing and the message says so', async () => {
    const before = await world.nextStep('TechFlow Migration');
    const { actionId, messageTs } = await proposal();
    expect((await post(click(LEADS[1]!, actionId, messageTs, '1700000004.000001', false), FORM)).status).toBe(200);
    const updated = await eventually(async () => api.callsOf('chat.update').filter((c) => c.params.ts === messageTs), (c) => c.length > 0);
    expect(updated[0]!.params.text).toBe(`Cancelled by <@${LEADS[1]}>`);
    expect(await world.nextStep('TechFlow Migration')).toBe(before);
    expect(world.toolbox.attempts).toBe(0);
  });
});
