/**
 * A lookup by one name can match several records ("Nova Labs" holds five deals), and the question may say which
 * with words no name index can anchor on its own ("the Customer 360 deal at Nova Labs": "Customer" and "360" are
 * in hundreds of deal names). Those words, read against the matched records' own names, bring the records they
 * name to the front, so an answer about "the" record is about the one the question named and never simply the most
 * recently changed.
 */
import type { Row } from '../../warehouse/warehouse.ts';
import type { Question } from './question.ts';
import { STOPWORDS, tokenize } from './text.ts';

const words = (value: unknown): Set<string> => new Set(tokenize(String(value ?? '')).map((t) => t.norm));

/**
 * The rows, those whose `field` holds the most of the question's other words first (otherwise in their order).
 * Only words that tell the rows apart count: a word every row's name holds, or none does, says nothing about which.
 */
export function narrowByQuestion(rows: Row[], field: string, question: Question): Row[] {
  if (rows.length < 2 || !rows.every((r) => typeof r[field] === 'string')) return rows;
  const named = question.mentions;
  const asked = tokenize(question.text)
    .filter((t) => !STOPWORDS.has(t.norm) && !named.some((m) => t.start >= m.from && t.end <= m.to))
    .map((t) => t.norm);
  const names = rows.map((r) => words(r[field]));
  const telling = [...new Set(asked)].filter((w) => {
    const holding = names.filter((n) => n.has(w)).length;
    return holding > 0 && holding < rows.length;
  });
  if (telling.length === 0) return rows;
  const score = names.map((n) => telling.filter((w) => n.has(w)).length);
  return rows.map((row, i) => ({ row, i })).sort((a, b) => score[b.i]! - score[a.i]! || a.i - b.i).map((x) => x.row);
}
