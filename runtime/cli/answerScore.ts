/**
 * Judging one answer against an eval case, and adding verdicts up per suite, kind and collaborator, as
 * `revops eval` prints them. Pure: the caller runs the engine and the facts' SQL and passes what came back.
 */
import type { EvalCase, EvalFactFormat } from '../../compiler/manifest.ts';
import { date, money, percent } from '../engines/offline/filters.ts';

/** What an engine did with one question, reduced to what a case can judge. */
export interface AnswerSeen {
  answer: string;
  /**
   * The collaborators the supervisor handed the question to, in order (a question with several requests may go to
   * several), or the supervisor alone when it answered itself.
   */
  agents: string[];
  skill?: string;
  /** Tools called, in order. */
  tools: string[];
  /** Parts of the question the answer says it did not do. */
  notDone: string[];
  /** Tools called that write to a system of record or send something out. */
  sideEffects: string[];
}

/** A fact as the warehouse answered it: every row's first value, or why it could not be read. */
export type FactValues = { values: unknown[] } | { error: string };

export interface Verdict {
  routed: boolean;
  passed: boolean;
  /** Why it failed, one line each; empty when passed. */
  failures: string[];
}

const normalise = (text: string): string => text.replace(/\*\*|__|`/gu, '').replace(/\s+/gu, ' ').toLowerCase();

/** The ways an answer may write a value: money as $2.1M or $2,100,000, counts with or without separators. */
export function renderings(value: unknown, as: EvalFactFormat): string[] {
  const n = Number(value);
  switch (as) {
    case 'count': return [String(Math.round(n)), Math.round(n).toLocaleString('en-US')];
    case 'money': return [money(n), `$${Math.round(n).toLocaleString('en-US')}`];
    case 'percent': return [percent(n), percent(n, 1)];
    case 'date': return [date(value)];
    case 'text': return [String(value)];
  }
}

export function judge(expected: EvalCase, seen: AnswerSeen, facts: FactValues[]): Verdict {
  const failures: string[] = [];
  const text = normalise(seen.answer);
  const routed = seen.agents.includes(expected.agent);
  if (!routed) failures.push(`routed to ${seen.agents.join(' and ') || 'nobody'}, expected ${expected.agent}`);
  if (expected.skill && seen.skill !== expected.skill) failures.push(`answered by skill ${seen.skill ?? 'none'}, expected ${expected.skill}`);
  for (const tool of expected.tools) if (!seen.tools.includes(tool)) failures.push(`did not call ${tool}`);
  for (const phrase of expected.says) if (!text.includes(normalise(phrase))) failures.push(`does not say "${phrase}"`);
  for (const phrase of expected.neverSays) if (text.includes(normalise(phrase))) failures.push(`says "${phrase}"`);
  expected.facts.forEach((fact, i) => {
    const got = facts[i];
    if (!got || 'error' in got) {
      failures.push(`fact ${i + 1} could not be read: ${got?.error ?? 'not run'}`);
      return;
    }
    // A fact without a value checks nothing: most often the sample data was seeded for another day than the clock
    // the eval runs with, so its periods hold no records.
    const empty = (what: string) => failures.push(`fact ${i + 1} found no records (${what}), so the answer cannot be checked; `
      + 'if the sample warehouse was seeded for another day, reseed it (revops data seed --force) or set REVOPS_NOW to that day');
    if (!got.values.length) empty('no rows');
    for (const value of got.values) {
      if (value === null || value === undefined) {
        empty('NULL');
        continue;
      }
      const forms = renderings(value, fact.as);
      if (!forms.some((f) => text.includes(normalise(f)))) failures.push(`does not state ${forms[0]} (fact ${i + 1}, ${fact.as})`);
    }
  });
  if (expected.declares === true && !seen.notDone.length) failures.push('does not say which part it did not do');
  if (expected.declares === false && seen.notDone.length) failures.push(`says it did not do: ${seen.notDone.join('; ')}`);
  if (!expected.sideEffects && seen.sideEffects.length) failures.push(`called ${seen.sideEffects.join(', ')}, which has side effects`);
  return { routed, passed: failures.length === 0, failures };
}

export interface Tally {
  total: number;
  routed: number;
  passed: number;
  routing: number;
  answers: number;
}

export const emptyTally = (): Tally => ({ total: 0, routed: 0, passed: 0, routing: 0, answers: 0 });

export function add(tally: Tally, verdict: Verdict): void {
  tally.total++;
  if (verdict.routed) tally.routed++;
  if (verdict.passed) tally.passed++;
  tally.routing = tally.routed / tally.total;
  tally.answers = tally.passed / tally.total;
}

export interface SuiteScore {
  suite: string;
  source: string;
  thresholds: { routing: number; answers: number };
  all: Tally;
  byKind: Record<string, Tally>;
  byAgent: Record<string, Tally>;
  failures: Array<{ at: string; ask: string; kind: string; failures: string[]; answer: string }>;
  pass: boolean;
}

export function scoreSuite(
  suite: { suite: string; source: string; thresholds: { routing: number; answers: number } },
  judged: Array<{ case: EvalCase; verdict: Verdict; answer: string }>,
): SuiteScore {
  const all = emptyTally();
  const byKind: Record<string, Tally> = {};
  const byAgent: Record<string, Tally> = {};
  const failures: SuiteScore['failures'] = [];
  for (const { case: c, verdict, answer } of judged) {
    add(all, verdict);
    add((byKind[c.kind] ??= emptyTally()), verdict);
    add((byAgent[c.agent] ??= emptyTally()), verdict);
    if (!verdict.passed) failures.push({ at: c.at, ask: c.ask, kind: c.kind, failures: verdict.failures, answer });
  }
  const pass = all.routing >= suite.thresholds.routing && all.answers >= suite.thresholds.answers;
  return { suite: suite.suite, source: suite.source, thresholds: suite.thresholds, all, byKind, byAgent, failures, pass };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const row = (label: string, t: Tally, width: number): string =>
  `  ${label.padEnd(width)} ${String(t.total).padStart(4)}   routing ${pct(t.routing).padStart(6)}   answers ${pct(t.answers).padStart(6)}`;

export function renderSuite(score: SuiteScore, options: { answers?: boolean } = {}): string {
  const labels = [...Object.keys(score.byKind), ...Object.keys(score.byAgent)];
  const width = Math.max(12, ...labels.map((l) => l.length)) + 2;
  const lines = [
    `suite ${score.suite} (${score.source}): ${score.all.total} cases, routing ${pct(score.all.routing)}, answers ${pct(score.all.answers)}`,
    '', '  by collaborator',
    ...Object.keys(score.byAgent).sort().map((a) => row(a, score.byAgent[a]!, width)),
    '', '  by kind of question',
    ...Object.keys(score.byKind).sort().map((k) => row(k, score.byKind[k]!, width)),
  ];
  if (score.failures.length) {
    lines.push('', '  failed:');
    for (const f of score.failures) {
      lines.push(`    ${f.at}: "${f.ask}" (${f.kind})`);
      for (const reason of f.failures) lines.push(`      - ${reason}`);
      if (options.answers) lines.push(`      answer: ${f.answer.replace(/\s+/gu, ' ').slice(0, 300)}`);
    }
  }
  const verdict = score.pass ? 'PASS' : 'FAIL';
  lines.push('', `${verdict}: routing ${pct(score.all.routing)} (threshold ${pct(score.thresholds.routing)}), answers ${pct(score.all.answers)} (threshold ${pct(score.thresholds.answers)})`);
  return lines.join('\n');
}
