/**
 * Session keys (`processing/sessionKey.ts`) -> Bedrock Agents session ids. InvokeAgent accepts `[0-9a-zA-Z._:-]+`,
 * 2..100 characters (API reference, InvokeAgent sessionId). Slack keys (`slack:T0123:C0123:1700000000.000100`) and
 * most webhook keys already fit and pass unchanged, so sessions stay readable in CloudWatch; anything else (a long
 * webhook session id, an encoded part) becomes `h<sha256 prefix of the whole key>.<its legal characters>`,
 * deterministic so follow-ups land in the same session. The digest comes first so that a mapped id can never equal
 * a key that passed unchanged: every session key starts with its channel kind (`slack:`, `webhook:`), never with
 * `h` and 40 hex digits — a caller cannot choose a session id that lands in another caller's Bedrock session.
 */
import { createHash } from 'node:crypto';

const LEGAL = /^[0-9a-zA-Z._:-]{2,100}$/u;

export function toBedrockSessionId(sessionId: string): string {
  if (LEGAL.test(sessionId)) return sessionId;
  const digest = createHash('sha256').update(sessionId).digest('hex').slice(0, 40);
  const readable = sessionId.replace(/[^0-9a-zA-Z._:-]+/gu, '-').slice(0, 58);
  return `h${digest}.${readable}`;
}
