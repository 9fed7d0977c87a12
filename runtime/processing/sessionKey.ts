/**
 * Session keys: the one rule for which conversation a message continues. A key is namespaced by channel kind and
 * by the authenticated caller, so a caller only ever reaches its own sessions (issue 10, defect 1: a webhook
 * `session_id` equal to a Slack thread's `channel:ts` was answered from that thread's conversation). The offline
 * and converse engines' memories, the conversation records and the Bedrock Agents session id are all keyed by it.
 *
 * A key is `<kind>:<scope…>:<session id>`; each channel says in its own folder what scopes its sessions:
 * - Slack (`channels/slack/question.ts`): workspace and channel, with the thread ts as the session id. Whoever
 *   writes in the thread shares its session; Slack's own channel membership is the access rule.
 * - Webhook (`channels/webhook/ingress.ts`): the channel spec and the caller (the bearer key's or the HMAC signer's
 *   identity, `channels/webhook/auth.ts`, never anything the request body says); the caller's own `session_id` (or
 *   the tracking id) is only the last part.
 *
 * Every part before the last is percent-encoded, so it holds no `:`, and a key splits back into its parts one way
 * only: two owners never share a key, whatever their callers choose as session ids.
 */

/** Whose sessions: the channel kind, and the parts that scope its sessions (an absent part is empty). */
export interface SessionOwner {
  kind: string;
  scope: readonly (string | undefined)[];
}

export function sessionKey(owner: SessionOwner, sessionId: string): string {
  let key = owner.kind;
  for (const part of owner.scope) key += `:${encodeURIComponent(part ?? '')}`;
  return `${key}:${sessionId}`;
}
