/**
 * Reading an action out of a question, for the offline engine's write and notify parameters (`resolve: {change:
 * table}` and `resolve: {notify: recipient | message}`). Pure and strict: a field must be named ("next step",
 * "stage", "forecast category") and its new value follow " to "; an enum value must be one of the column's
 * values (matched case-insensitively, returned as the spec writes it); a notification needs a recipient and a
 * message, and "let Priya know the legal review is done" is a notification, never a field value. When a part is
 * missing the result says so, and the engine asks for it instead of guessing.
 */
import type { WriteTable } from '../../../compiler/manifest.ts';

export type FieldChange =
  | { ok: true; column: string; value: string }
  | { ok: false; problem: string };

const words = (column: string): string => column.replace(/_/gu, ' ');

/** How a column may be named: its words ("forecast category"), or its first word when that says enough ("stage"). */
function namesOf(column: string): string[] {
  const full = words(column);
  const first = full.split(' ')[0]!;
  return first !== full && first.length >= 5 ? [full, first] : [full];
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
const clean = (text: string): string => text.trim().replace(/^["'“‘]|["'”’.!?]+$/gu, '').trim();

/** The one field the question asks to change among the table's writable columns, and its new value. */
export function fieldChange(question: string, rule: WriteTable): FieldChange {
  const named = rule.columns
    .filter((column) => !rule.key.includes(column))
    .flatMap((column) => namesOf(column).map((name) => ({ column, name, at: new RegExp(`\\b${escape(name)}\\b`, 'iu').exec(question) })))
    .filter((n): n is typeof n & { at: RegExpExecArray } => n.at !== null)
    .sort((a, b) => b.name.length - a.name.length);
  const columns = [...new Set(named.map((n) => n.column))];
  const fields = rule.columns.filter((c) => !rule.key.includes(c)).map(words).join(', ');
  if (columns.length === 0) return { ok: false, problem: `I couldn't tell which field to change (I can change: ${fields}).` };
  if (columns.length > 1) return { ok: false, problem: `The question names more than one field (${columns.map(words).join(', ')}); ask for one change at a time.` };
  const hit = named.find((n) => n.column === columns[0])!;
  const after = question.slice(hit.at.index + hit.at[0].length);
  const to = / to\s+(.+)$/isu.exec(after) ?? / to\s+(.+)$/isu.exec(question);
  const value = to ? clean(to[1]!) : '';
  if (!value) return { ok: false, problem: `I couldn't tell what to set the ${hit.name} to; say it after "to", e.g. "set the ${hit.name} on IXIS to …".` };
  const allowed = rule.enums[hit.column];
  if (allowed) {
    const match = allowed.find((v) => v.toLowerCase() === value.toLowerCase());
    if (!match) return { ok: false, problem: `"${value}" is not a ${words(hit.column)}; it is one of: ${allowed.join(', ')}.` };
    return { ok: true, column: hit.column, value: match };
  }
  return { ok: true, column: hit.column, value };
}

export interface NotificationParts {
  recipient?: string;
  message?: string;
}

/** Who gets told, and what: "let X know (that) M", "tell X (that) M", "notify X (that|about) M", "ping X: M". */
const FORMS: RegExp[] = [
  /\blet\s+(.+?)\s+know\s+(?:that\s+)?(.+)$/isu,
  /\b(?:tell|remind|inform)\s+(.+?)\s+(?:that|about|to)\s+(.+)$/isu,
  /\b(?:notify|ping|message|alert)\s+(.+?)(?:\s*:\s*|\s+(?:that|about)\s+)(.+)$/isu,
  /\bsend\s+(.+?)\s+an?\s+(?:\w+\s+)?(?:notification|message|note|alert)\s+(?:that|about|saying)\s+(.+)$/isu,
  /\b(?:notification|message|note|alert)\s+to\s+(.+?)(?:\s*:\s*|\s+(?:that|about|saying)\s+)(.+)$/isu,
];
const RECIPIENT_ONLY: RegExp[] = [
  /\b(?:notification|message|note|alert)\s+to\s+(.+)$/isu,
  /\b(?:notify|ping|tell|message|alert)\s+(.+)$/isu,
  /\blet\s+(.+?)\s+know\b/isu,
];

const recipientOf = (text: string): string => clean(text).replace(/^(the|our)\s+/iu, '');

export function notificationParts(question: string): NotificationParts {
  const text = question.replace(/^\s*(?:can|could|would)\s+you\s+(?:please\s+)?/iu, '').replace(/\?\s*$/u, '');
  for (const form of FORMS) {
    const m = form.exec(text);
    if (m) return { recipient: recipientOf(m[1]!), message: clean(m[2]!) };
  }
  for (const form of RECIPIENT_ONLY) {
    const m = form.exec(text);
    if (m && clean(m[1]!)) return { recipient: recipientOf(m[1]!) };
  }
  return {};
}
