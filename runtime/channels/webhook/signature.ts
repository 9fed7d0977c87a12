/**
 * Webhook request signing, the same scheme in both directions (callers signing requests to us, our deliveries to
 * receivers): `X-Revops-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<body>">` with `X-Revops-Timestamp: <unix
 * seconds>`, accepted within 5 minutes of the receiver's clock (replay window, as Slack does).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'X-Revops-Timestamp';
export const SIGNATURE_HEADER = 'X-Revops-Signature';
export const REPLAY_WINDOW_SECONDS = 300;

export function signBody(secret: string, timestampSeconds: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex')}`;
}

/** Both signature headers for a body, for outbound deliveries and for test clients. */
export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signBody(secret, timestamp, body) };
}

export type SignatureCheck = { ok: true } | { ok: false; code: 'stale_timestamp' | 'invalid_signature'; message: string };

export function verifySignature(input: {
  secret: string; timestamp: string | null; signature: string | null; body: string; nowMs: number;
  /** What `body` is, for the message when the signature does not match (a status read signs no body). */
  covers?: string;
}): SignatureCheck {
  const seconds = Number(input.timestamp);
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) {
    return { ok: false, code: 'invalid_signature', message: `${TIMESTAMP_HEADER} must be Unix time in seconds` };
  }
  if (Math.abs(input.nowMs / 1000 - seconds) > REPLAY_WINDOW_SECONDS) {
    return { ok: false, code: 'stale_timestamp',
      message: `${TIMESTAMP_HEADER} is more than ${REPLAY_WINDOW_SECONDS} s from the server's clock; sign the request again with the current time` };
  }
  const expected = Buffer.from(signBody(input.secret, seconds, input.body));
  const given = Buffer.from(input.signature ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: 'invalid_signature',
      message: `${SIGNATURE_HEADER} does not match: expected v1=<hex HMAC-SHA256 of "<timestamp>.${input.covers ?? '<raw body>'}"> with WEBHOOK_SIGNING_SECRET` };
  }
  return { ok: true };
}
