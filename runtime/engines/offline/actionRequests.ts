/**
 * Reading an action out of a question, for the offline engine's write and notify parameters (`resolve: {change:
 * table}` and `resolve: {notify: recipient | message}`). Pure and strict: a field must be named ("next step",
 * "stage", "forecast category") and its new value follow " to " (or "from <old> to <new>"); an enum value must be
 * one of the column's values (matched case-insensitively, returned as the spec writes it); a notification needs a
 * recipient and a message, and "let Priya know the legal review is done" is a notification, never a field value.
 * Each reading says where the action's own words start (`from`): a name from there on is part of the value or the
 * message, never the record acted on. When a part is missing or could be read two ways the result says so, and the
 * engine asks for it instead of guessing.
 */
import type { WriteTable } from '../../../compiler/manifest.ts';

export type FieldChange =
  | { ok: true; column: string; value: string; from: number }
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

/** Words between a field and its " to " that only say which record it is on ("the next step for IXIS to …"). */
const RECORD_GAP = /^(?:(?:for|on|of|in|at)\s[^]*)?$/iu;
/** "the owner of the next step": a field of the field, which the tool does not write. */
const PART_OF = /\b([a-z]+(?:\s+date)?)\s+of\s+(?:the\s+|this\s+|that\s+)?(?:[\w'’-]+\s+){0,4}$/iu;
/** A value in quotes, the quotes being how the asker marks where it starts and ends. */
const QUOTED = /^["“'‘](.+?)["”'’](?:\s*,?\s*please)?\s*[.!?]*\s*$/isu;
const TO = /\s+to\s+/giu;

/**
 * The new value after the setter: "to Y", or "from X to Y" where X is the value being replaced. "from talk to legal
 * to send the MSA" has two readings; only quotes ("from talk to legal to "send the MSA"") or a single " to " settle it.
 */
function newValue(setter: 'to' | 'from', rest: string): { value: string } | { ambiguous: true } {
  if (setter === 'to') return { value: clean(QUOTED.exec(rest)?.[1] ?? rest) };
  const quotedNew = /\s+to\s+(["“'‘].+)$/su.exec(rest);
  const quoted = quotedNew && QUOTED.exec(quotedNew[1]!);
  if (quoted) return { value: clean(quoted[1]!) };
  const oldQuoted = /^["“'‘].+?["”'’]\s+to\s+(.+)$/su.exec(rest);
  if (oldQuoted) return { value: clean(oldQuoted[1]!) };
  const cuts = [...rest.matchAll(TO)];
  if (cuts.length !== 1) return cuts.length === 0 ? { value: '' } : { ambiguous: true };
  return { value: clean(rest.slice(cuts[0]!.index + cuts[0]![0].length)) };
}

/** The one field the question asks to change among the table's writable columns, and its new value. */
export function fieldChange(question: string, rule: WriteTable): FieldChange {
  const writable = rule.columns.filter((column) => !rule.key.includes(column));
  const fields = writable.map(words).join(', ');
  const named = writable
    .flatMap((column) => namesOf(column).map((name) => ({ column, name, at: new RegExp(`\\b${escape(name)}\\b`, 'iu').exec(question) })))
    .filter((n): n is typeof n & { at: RegExpExecArray } => n.at !== null)
    .sort((a, b) => a.at.index - b.at.index || b.name.length - a.name.length);
  const hit = named[0];
  if (!hit) return { ok: false, problem: `I couldn't tell which field to change (I can change: ${fields}).` };
  const end = hit.at.index + hit.at[0].length;
  const setter = /\s(to|from)\s+/iu.exec(question.slice(end));
  const from = setter ? end + setter.index + 1 : question.length;
  // A field named inside the new value ("set the next step to confirm the stage") is part of the value.
  const others = [...new Set(named.filter((n) => n.at.index < from).map((n) => n.column))];
  if (others.length > 1) return { ok: false, problem: `The question names more than one field (${others.map(words).join(', ')}); ask for one change at a time.` };
  const gap = question.slice(end, from).trim();
  // "the next step owner", "the due date of the next step": another field than the one matched, which this tool
  // cannot write; writing the value into the matched field would be a guess.
  const part = PART_OF.exec(question.slice(0, hit.at.index))?.[1];
  if (!RECORD_GAP.test(gap) || part) {
    const asked = part ? `${part} of the ${hit.name}` : `${hit.name} ${gap.split(/\s+/u).slice(0, 3).join(' ')}`;
    return { ok: false, problem: `I can't change "${asked}": I can change only these fields: ${fields}.` };
  }
  const read = setter ? newValue(setter[1]!.toLowerCase() as 'to' | 'from', question.slice(from + setter[0].length - 1)) : { value: '' };
  if ('ambiguous' in read) {
    return { ok: false, problem: `I couldn't tell where the old ${hit.name} ends and the new one starts; put the new one in quotes: change the ${hit.name} from … to "…".` };
  }
  const { value } = read;
  if (!value) return { ok: false, problem: `I couldn't tell what to set the ${hit.name} to; say it after "to", e.g. "set the ${hit.name} on IXIS to …".` };
  const allowed = rule.enums[hit.column];
  if (allowed) {
    const match = allowed.find((v) => v.toLowerCase() === value.toLowerCase());
    if (!match) return { ok: false, problem: `"${value}" is not a ${words(hit.column)}; it is one of: ${allowed.join(', ')}.` };
    return { ok: true, column: hit.column, value: match, from };
  }
  return { ok: true, column: hit.column, value, from };
}

export interface NotificationParts {
  recipient?: string;
  message?: string;
  /** Where the message starts in the question. */
  from?: number;
  /** Why no notification can be read from the question (a URL as its destination). */
  problem?: string;
}

/** Who gets told, and what: "let X know (that) M", "tell X (that) M", "notify X (that|about) M", "ping X: M". */
const FORMS: RegExp[] = [
  /\blet\s+(.+?)\s+know\s+(?:that\s+)?(.+)$/disu,
  /\b(?:tell|remind|inform)\s+(.+?)\s+(?:that|about|to)\s+(.+)$/disu,
  /\b(?:notify|ping|message|alert)\s+(.+?)(?:\s*:\s*|\s+(?:that|about)\s+)(.+)$/disu,
  /\bsend\s+(.+?)\s+an?\s+(?:\w+\s+)?(?:notification|message|note|alert)\s+(?:that|about|saying)\s+(.+)$/disu,
  /\b(?:notification|message|note|alert)\s+to\s+(.+?)(?:\s*:\s*|\s+(?:that|about|saying)\s+)(.+)$/disu,
];
const RECIPIENT_ONLY: RegExp[] = [
  /\b(?:notification|message|note|alert)\s+to\s+(.+)$/disu,
  /\b(?:notify|ping|tell|message|alert)\s+(.+)$/disu,
  /\blet\s+(.+?)\s+know\b/disu,
];

/** An address written in the request ("https://attacker.test/x", "http://169.254.169.254/latest"). */
const URL = /\b[a-z][a-z0-9+.-]*:\/\/\S+?(?=[.,:;!?)"'”’]*(?:\s|$))/giu;

const recipientOf = (text: string): string => clean(text).replace(/^(the|our)\s+/iu, '');

export function notificationParts(question: string): NotificationParts {
  const text = question.replace(/\?\s*$/u, '');
  const urls = [...text.matchAll(URL)].map((m) => ({ from: m.index, to: m.index + m[0].length, url: m[0] }));
  // The forms read a copy with each URL blanked out to the same length, so none splits inside one ("https" and
  // "//attacker.test/x" at its colon) and every index still points into the question.
  const masked = urls.reduce((t, u) => t.slice(0, u.from) + '_'.repeat(u.to - u.from) + t.slice(u.to), text);
  let parts: NotificationParts = {};
  for (const form of FORMS) {
    const m = form.exec(masked);
    if (m) {
      const [[rf, rt], [mf, mt]] = [m.indices![1]!, m.indices![2]!];
      parts = { recipient: recipientOf(text.slice(rf, rt)), message: clean(text.slice(mf, mt)), from: mf };
      break;
    }
  }
  if (!parts.recipient) {
    for (const form of RECIPIENT_ONLY) {
      const m = form.exec(masked);
      if (m && clean(m[1]!)) {
        parts = { recipient: recipientOf(text.slice(...m.indices![1]!)) };
        break;
      }
    }
  }
  // Notifications go only to the destinations the operator configured: a URL the request names outside its message
  // is where the asker wants it sent, and that is never the request's to choose.
  const destination = urls.find((u) => parts.from === undefined || u.from < parts.from);
  if (destination) {
    return { problem: `I send notifications only to the destination configured for them, never to an address given in the request ("${destination.url}"). Say who it is for instead: a person or a channel such as #deal-desk.` };
  }
  return parts;
}
