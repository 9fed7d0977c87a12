/**
 * Per-session conversation history for follow-ups ("and what are its risks?"): the user's words and the entry
 * agent's final answer of each turn, as Converse messages. Only those two per turn (not the tool exchanges), so
 * the history always alternates user/assistant as Converse requires and stays small. Bounded twice: the last
 * `maxTurns` turns per session, and `maxSessions` sessions with the least recently used forgotten first.
 */
import type { Message } from '@aws-sdk/client-bedrock-runtime';

export class SessionHistory {
  private readonly sessions = new Map<string, Message[]>();
  constructor(private readonly maxSessions = 1000, private readonly maxTurns = 10) {}

  get(sessionId: string): Message[] {
    const messages = this.sessions.get(sessionId);
    if (!messages) return [];
    this.sessions.delete(sessionId);
    this.sessions.set(sessionId, messages);
    return [...messages];
  }

  /** A turn with blank words on either side is not kept: Bedrock refuses blank text, so it would break every later turn. */
  append(sessionId: string, user: string, assistant: string): void {
    if (!user.trim() || !assistant.trim()) return;
    const turns = [...this.get(sessionId),
      { role: 'user', content: [{ text: user }] },
      { role: 'assistant', content: [{ text: assistant }] }] satisfies Message[];
    this.sessions.set(sessionId, turns.slice(-2 * this.maxTurns));
    if (this.sessions.size > this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
  }
}
