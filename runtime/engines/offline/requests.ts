/**
 * One message, several requests: "status of IXIS and notify Sarah", "show the pipeline; then score the MQLs". The
 * message is cut at a sentence end or ";", and before "and"/"then" when what follows starts a new request (an
 * action or analysis verb: "and notify", not "and what are they worth"), so
 * "compare Q3 and Q4 revenue" and "John Smith from DataCorp and Initech" stay whole. Each part is answered, or named
 * as not done, on its own.
 */
const STARTS_REQUEST = String.raw`(?:notify|ping|send|tell(?!\s+me\b)|remind|update|set|change|log|post|alert|email|message|show|list|give|compare|score|assess|research|analy[sz]e|check|find|look|rank|qualify|draft)\b`;
const CUT = new RegExp(String.raw`\s*(?:;\s*|\.\s+|\?\s+)(?:and\s+|then\s+|also\s+)?(?=\S)|\s*,?\s+(?:and\s+then|and\s+also|then|and|also|plus)\s+(?=${STARTS_REQUEST})`, 'giu');
const MIN_WORDS = 2;

export function splitRequests(text: string): string[] {
  const parts = text.split(CUT).map((p) => p.trim().replace(/[?.!;,]+$/u, '').trim()).filter((p) => p.length > 0);
  // A fragment of one word is more likely a trailing aside ("thanks") than a request of its own.
  const kept = parts.filter((p) => p.split(/\s+/u).length >= MIN_WORDS);
  return kept.length > 1 ? kept : [text];
}

/** An action part that carries what to send or write ("notify Sarah that IXIS slipped"), not only whom to tell. */
export const carriesContent = (part: string): boolean => /\b(?:that|saying|to say|about)\b|:\s*\S+\s+\S+|\bto\s+\S+\s+\S+/iu.test(part);
