/**
 * A session's earlier turns as Converse messages, for follow-ups ("and what are its risks?"): the user's words and
 * the entry agent's final answer of each turn (not the tool exchanges), so the history always alternates
 * user/assistant as Converse requires and stays small — the last `maxTurns` turns. The turns themselves live in
 * the conversation store (runtime/sessions), which never keeps a blank text.
 */
import type { Message } from '@aws-sdk/client-bedrock-runtime';
import type { StoredTurn } from '../../sessions/sessionStore.ts';

export const DEFAULT_HISTORY_TURNS = 10;

export function historyMessages(turns: readonly StoredTurn[], maxTurns = DEFAULT_HISTORY_TURNS): Message[] {
  // A turn with blank words is never sent: Bedrock refuses blank text, and one stored blank turn would break every
  // later request of the session.
  return turns.filter((t) => t.user.trim() && t.assistant.trim()).slice(-maxTurns).flatMap((t): Message[] => [
    { role: 'user', content: [{ text: t.user }] },
    { role: 'assistant', content: [{ text: t.assistant }] },
  ]);
}
