/**
 * One message, several requests: "status of IXIS and notify Sarah", "show the pipeline; then score the MQLs". The
 * message is cut at a sentence end or ";", before "and"/"then" when what follows starts a new request (an
 * action or analysis verb: "and notify", not "and what are they worth"), and at a comma before a question of its
 * own ("…this year, how many deals did we lose…"), so
 * "compare Q3 and Q4 revenue" and "John Smith from DataCorp and Initech" stay whole. Each part is answered, or named
 * as not done, on its own.
 */
const STARTS_REQUEST = String.raw`(?:notify|ping|send|tell(?!\s+me\b)|remind|update|set|change|log|post|alert|email|message|show|list|give|compare|score|assess|research|analy[sz]e|check|find|look|rank|qualify|draft|translate|book|write|order|plan)\b`;
/** A question of its own after a comma: "what is our win rate, how many deals did we lose, and which customers…". */
// "which"/"who" right after a comma open a relative clause ("John Smith, who is the CTO"), a question only after "and".
const STARTS_QUESTION = String.raw`(?:how (?:many|much|is|are|did|do|does|was|were)|what(?:'s|\s+is|\s+are|\s+was|\s+were|\s+did)|when (?:is|are|does|did|will))\b`;
const CUT = new RegExp(String.raw`\s*(?:;\s*|\.\s+|\?\s+)(?:and\s+|then\s+|also\s+)?(?=\S)|\s*,?\s+(?:and\s+then|and\s+also|then|and|also|plus)\s+(?=${STARTS_REQUEST})|\s*,\s+(?:and\s+)?(?=${STARTS_QUESTION})|\s*,\s+and\s+(?=(?:which|who)\b)`, 'giu');
const MIN_WORDS = 2;

export function splitRequests(text: string): string[] {
  const parts = text.split(CUT).map((p) => p.trim().replace(/[?.!;,]+$/u, '').trim()).filter((p) => p.length > 0);
  // A fragment of one word is more likely a trailing aside ("thanks") than a request of its own.
  const kept = parts.filter((p) => p.split(/\s+/u).length >= MIN_WORDS);
  return kept.length > 1 ? kept : [text];
}
