import { isValidSlackRequest } from '@slack/bolt';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hasValidSlackSignature } from '../../../../runtime/channels/slack/slackSignature.ts';

const SECRET = 'signing-secret-0123';
const NOW_MS = 1_755_361_805_000;
const NOW_S = NOW_MS / 1000;
const BODY = '{"type":"event_callback","event_id":"Ev1","event":{"type":"app_mention","text":"<@U1> status of IXIS?"}}';
const sign = (secret: string, ts: number, body: string) => `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

/** Requests whose timestamps are in the past or present, where Bolt's rules and ours must agree. */
const cases: Array<[string, { timestamp: number; signature: string; body: string }]> = [
  ['signed now', { timestamp: NOW_S, signature: sign(SECRET, NOW_S, BODY), body: BODY }],
  ['signed 4 minutes ago', { timestamp: NOW_S - 240, signature: sign(SECRET, NOW_S - 240, BODY), body: BODY }],
  ['signed 6 minutes ago (stale)', { timestamp: NOW_S - 360, signature: sign(SECRET, NOW_S - 360, BODY), body: BODY }],
  ['signed with another secret', { timestamp: NOW_S, signature: sign('other', NOW_S, BODY), body: BODY }],
  ['body changed after signing', { timestamp: NOW_S, signature: sign(SECRET, NOW_S, BODY), body: BODY.replace('IXIS', 'ACME') }],
  ['timestamp changed after signing', { timestamp: NOW_S - 1, signature: sign(SECRET, NOW_S, BODY), body: BODY }],
  ['unknown version', { timestamp: NOW_S, signature: sign(SECRET, NOW_S, BODY).replace('v0=', 'v1='), body: BODY }],
  ['truncated signature', { timestamp: NOW_S, signature: sign(SECRET, NOW_S, BODY).slice(0, -2), body: BODY }],
  ['upper-case hex', { timestamp: NOW_S, signature: `v0=${sign(SECRET, NOW_S, BODY).slice(3).toUpperCase()}`, body: BODY }],
  ['no signature value', { timestamp: NOW_S, signature: 'v0=', body: BODY }],
];

describe('hasValidSlackSignature', () => {
  it.each(cases)('agrees with Bolt: %s', (_name, r) => {
    const bolt = isValidSlackRequest({
      signingSecret: SECRET, body: r.body, nowMilliseconds: NOW_MS,
      headers: { 'x-slack-signature': r.signature, 'x-slack-request-timestamp': r.timestamp },
    });
    const ours = hasValidSlackSignature({ timestamp: String(r.timestamp), signature: r.signature, body: r.body }, SECRET, NOW_MS);
    expect(ours).toBe(bolt);
  });

  it('accepts the signed request and refuses each way it can be wrong', () => {
    expect(cases.filter(([, r]) => hasValidSlackSignature({ timestamp: String(r.timestamp), signature: r.signature, body: r.body }, SECRET, NOW_MS))
      .map(([name]) => name)).toEqual(['signed now', 'signed 4 minutes ago']);
  });

  it('refuses a timestamp more than 5 minutes ahead, missing headers and an empty secret', () => {
    const ahead = NOW_S + 360;
    expect(hasValidSlackSignature({ timestamp: String(ahead), signature: sign(SECRET, ahead, BODY), body: BODY }, SECRET, NOW_MS)).toBe(false);
    expect(hasValidSlackSignature({ timestamp: null, signature: sign(SECRET, NOW_S, BODY), body: BODY }, SECRET, NOW_MS)).toBe(false);
    expect(hasValidSlackSignature({ timestamp: String(NOW_S), signature: null, body: BODY }, SECRET, NOW_MS)).toBe(false);
    expect(hasValidSlackSignature({ timestamp: String(NOW_S), signature: sign('', NOW_S, BODY), body: BODY }, '', NOW_MS)).toBe(false);
  });
});
