/**
 * Channel session ids -> Bedrock Agents session ids. InvokeAgent accepts `[0-9a-zA-Z._:-]+`, 2..100 characters
 * (API reference, InvokeAgent sessionId). Slack thread ids (`C0123:1700000000.000100`) and webhook tracking ids
 * already fit and pass unchanged, so sessions stay readable in CloudWatch; anything else becomes its legal
 * characters (cut to 50) plus a sha256 prefix of the original, deterministic so follow-ups land in the same
 * session, and distinct for different originals that share the readable part.
 */
import { createHash } from 'node:crypto';

const LEGAL = /^[0-9a-zA-Z._:-]{2,100}$/u;

export function toBedrockSessionId(sessionId: string): string {
  if (LEGAL.test(sessionId)) return sessionId;
  const readable = sessionId.replace(/[^0-9a-zA-Z._:-]+/gu, '-').slice(0, 50);
  const digest = createHash('sha256').update(sessionId).digest('hex').slice(0, 40);
  return `${readable}${readable ? '-' : ''}h${digest}`;
}
