/**
 * Session keys: the one rule for which conversation a message continues. A key is namespaced by channel kind and
 * by the authenticated caller, so a caller only ever reaches its own sessions (issue 10, defect 1: a webhook
 * `session_id` equal to a Slack thread's `channel:ts` was answered from that thread's conversation). The offline
 * and converse engines' memories, the conversation records and the Bedrock Agents session id are all keyed by it.
 *
 * - Slack: `slack:<workspace>:<channel>:<thread ts>`. Whoever writes in the thread shares its session; Slack's
 *   own channel membership is the access rule.
 * - Webhook: `webhook:<channel spec>:<caller>:<session id>`. The caller is the bearer key's or the HMAC signer's
 *   identity (`channels/webhook/auth.ts`), never anything the request body says; the caller's own `session_id`
 *   (or the tracking id) is only the last part.
 *
 * Every part before the last is percent-encoded, so it holds no `:`, and a key splits back into its parts one way
 * only: two owners never share a key, whatever their callers choose as session ids.
 */

export type SessionOwner =
  | { kind: 'slack'; workspace: string | undefined; channel: string }
  | { kind: 'webhook'; channel: string; caller: string };

export function sessionKey(owner: SessionOwner, sessionId: string): string {
  const parts = owner.kind === 'slack' ? [owner.workspace ?? '', owner.channel] : [owner.channel, owner.caller];
  return [owner.kind, ...parts.map(encodeURIComponent), sessionId].join(':');
}
