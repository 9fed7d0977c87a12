/**
 * Per-session memory for follow-ups ("and what are its risks?", "what about TechFlow?"): the agent and skill of the
 * last turn and the names and dates it resolved. In memory only, bounded: the least recently used session is
 * forgotten first, so a long-running server does not grow without limit.
 */
import type { DateRange } from './dates.ts';

export interface SessionTurn {
  agent: string;
  skill?: string;
  /** `table.column` -> value bound to a parameter last turn. */
  entities: Record<string, string>;
  dates?: DateRange;
}

export class SessionMemory {
  private readonly turns = new Map<string, SessionTurn>();
  constructor(private readonly limit = 1000) {}

  get(sessionId: string): SessionTurn | undefined {
    const turn = this.turns.get(sessionId);
    if (turn) {
      this.turns.delete(sessionId);
      this.turns.set(sessionId, turn);
    }
    return turn;
  }

  set(sessionId: string, turn: SessionTurn): void {
    this.turns.delete(sessionId);
    this.turns.set(sessionId, turn);
    if (this.turns.size > this.limit) this.turns.delete(this.turns.keys().next().value!);
  }

  get size(): number {
    return this.turns.size;
  }
}
