/**
 * What the thread finally receives: the answer, or — when the agents failed or came back empty — the apology
 * (processing/apology.ts) with the correlation id, so the user is never left in silence and support can find the
 * conversation. A failed outcome's text is used when it names the id and looks like prose; anything resembling a
 * stack trace or a wall of text is replaced (the seed posted exceptions and empty messages).
 */
import { apology } from '../../processing/apology.ts';
import type { InboundMessage, Outcome } from '../../processing/inbound.ts';

const APOLOGY_LIMIT = 600;
const STACK_LINE = /\n\s+at\s|Error:\s.*\n|\bat\s+\S+\s+\(.*:\d+:\d+\)/;

export function replyFor(message: InboundMessage, outcome: Outcome): { text: string; answered: boolean } {
  const text = outcome.answer.trim();
  if (outcome.status === 'done' && text) return { text, answered: true };
  const usable = outcome.status === 'failed' && text.includes(message.id) && text.length <= APOLOGY_LIMIT && !STACK_LINE.test(text);
  const code = outcome.status === 'done' ? 'empty_answer' : outcome.error?.code ?? 'no_answer';
  return { text: usable ? text : apology(message.id, code), answered: false };
}
