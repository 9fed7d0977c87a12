/**
 * What the thread finally receives: the answer, or — when the agents failed or came back empty — a short apology
 * with the correlation id, so the user is never left in silence and support can find the conversation. The
 * processor's own apology is used when it names the id and looks like prose; anything resembling a stack trace or
 * a wall of text is replaced (the seed posted exceptions and empty messages).
 */
import type { InboundMessage, Outcome } from '../../processing/inbound.ts';

const APOLOGY_LIMIT = 600;
const STACK_LINE = /\n\s+at\s|Error:\s.*\n|\bat\s+\S+\s+\(.*:\d+:\d+\)/;

export const apology = (correlationId: string, empty: boolean): string =>
  empty
    ? `Sorry — I came back without an answer this time. Please try rephrasing the question. (reference: \`${correlationId}\`)`
    : `Sorry — I couldn't answer that this time. Please try again in a moment; if it keeps failing, share reference \`${correlationId}\` with the RevOps team.`;

export function replyFor(message: InboundMessage, outcome: Outcome): { text: string; answered: boolean } {
  const text = outcome.answer.trim();
  if (outcome.status === 'done' && text) return { text, answered: true };
  const usable = outcome.status === 'failed' && text.includes(message.id) && text.length <= APOLOGY_LIMIT && !STACK_LINE.test(text);
  return { text: usable ? text : apology(message.id, outcome.status === 'done'), answered: false };
}
