/**
 * Builders for what Slack sends: Events API envelopes and signed HTTP requests (`v0:<ts>:<body>` HMAC-SHA256,
 * the documented scheme), so tests and benches send exactly what the real Slack would.
 */
import { createHmac } from 'node:crypto';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';

export interface EventFields {
  eventId: string;
  type?: 'app_mention' | 'message';
  text?: string;
  user?: string;
  channel?: string;
  ts?: string;
  threadTs?: string;
  channelType?: string;
  subtype?: string;
  botId?: string;
}

export function eventEnvelope(f: EventFields): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: f.eventId,
    event_time: 1_700_000_000,
    event: {
      type: f.type ?? 'app_mention',
      user: f.user ?? 'U0USER01',
      text: f.text ?? '<@UBOT0001> what is the status of the IXIS deal?',
      ts: f.ts ?? '1700000000.000100',
      channel: f.channel ?? 'C0CHAN01',
      event_ts: f.ts ?? '1700000000.000100',
      ...(f.threadTs ? { thread_ts: f.threadTs } : {}),
      ...(f.channelType ? { channel_type: f.channelType } : {}),
      ...(f.subtype ? { subtype: f.subtype } : {}),
      ...(f.botId ? { bot_id: f.botId } : {}),
    },
  };
}

export function signature(secret: string, timestampSec: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestampSec}:${body}`).digest('hex')}`;
}

export interface SignOptions {
  secret?: string;
  timestampSec: number;
  headers?: Record<string, string>;
  url?: string;
  unsigned?: boolean;
}

export function signedRequest(body: unknown, o: SignOptions): Request {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return new Request(o.url ?? 'http://127.0.0.1/slack/events', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(o.unsigned
        ? {}
        : {
            'x-slack-request-timestamp': String(o.timestampSec),
            'x-slack-signature': signature(o.secret ?? SIGNING_SECRET, o.timestampSec, raw),
          }),
      ...o.headers,
    },
    body: raw,
  });
}
