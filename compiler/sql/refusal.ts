import type { Token } from './sqlLexer.ts';

/** Why a statement is refused, and the offset of the token to blame (validate points at it in the spec). */
export interface Refusal {
  reason: string;
  position?: number;
}

export const refusal = (token: Token | undefined, reason: string): Refusal => (token ? { reason, position: token.start } : { reason });
