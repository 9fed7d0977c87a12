/**
 * The quoted metric questions, word for word, through `revops ask` on a warehouse seeded for a clock of
 * Dec 1, 2026 (so "won in 2026", "last quarter", "Q1 2027" and "Q3 and Q4" read as a sales leader means them that
 * day): each figure in the answer equals SQL written by hand over the same warehouse file.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as ask } from '../../../runtime/cli/ask.ts';
import { money } from '../../../runtime/engines/offline/filters.ts';
import { openDuckDbWarehouse } from '../../../runtime/warehouse/duckdbWarehouse.ts';
import type { Row } from '../../../runtime/warehouse/warehouse.ts';
import { captureIO, tempProject } from './tempProject.ts';

const NOW = '2026-12-01T09:00:00Z';
const ACCOUNT = 'FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id';

/** Each question and the hand-written SQL of what its answer must say. */
const QUESTIONS = {
  'average deal size for Enterprise deals won in 2026':
    `SELECT AVG(amount) AS v FROM opportunities WHERE is_won = true AND segment = 'Enterprise' AND close_date BETWEEN '2026-01-01' AND '2026-12-31'`,
  'which rep has the most open pipeline?':
    'SELECT owner_name AS g, SUM(amount) AS v, (SELECT SUM(amount) FROM opportunities WHERE is_closed = false) AS total FROM opportunities WHERE is_closed = false GROUP BY owner_name ORDER BY v DESC LIMIT 1',
  'how much did Sarah Johnson close last quarter?':
    `SELECT SUM(amount) AS v FROM opportunities WHERE is_won = true AND owner_name = 'Sarah Johnson' AND close_date BETWEEN '2026-07-01' AND '2026-09-30'`,
  'year-to-date closed-won': `SELECT SUM(amount) AS v FROM opportunities WHERE is_won = true AND close_date BETWEEN '2026-01-01' AND '2026-12-01'`,
  'EMEA pipeline for Q1 2027': `SELECT SUM(o.amount) AS v ${ACCOUNT} WHERE o.is_closed = false AND a.region = 'EMEA' AND o.close_date BETWEEN '2027-01-01' AND '2027-03-31'`,
  'compare Q3 and Q4 revenue': `SELECT SUM(CASE WHEN close_date <= '2026-09-30' THEN amount END) AS v, SUM(CASE WHEN close_date >= '2026-10-01' THEN amount END) AS w
    FROM opportunities WHERE is_won = true AND close_date BETWEEN '2026-07-01' AND '2026-12-31'`,
  'accounts at 85% of their seats': `SELECT COUNT(*) AS v FROM (SELECT a.name FROM product_usage u LEFT JOIN accounts a ON a.id = u.account_id
    WHERE u.month = (SELECT MAX(month) FROM product_usage) GROUP BY a.name HAVING 100.0 * SUM(seats_used) / NULLIF(SUM(seats_purchased), 0) >= 85)`,
} as const;
type Question = keyof typeof QUESTIONS;

let project: Awaited<ReturnType<typeof tempProject>>;
const answers = new Map<Question, { answer: string; skill: string }>();
const truth = new Map<Question, Row>();

beforeAll(async () => {
  project = await tempProject();
  for (const question of Object.keys(QUESTIONS) as Question[]) {
    const io = captureIO(project.root, { REVOPS_NOW: NOW });
    expect(await ask.run([question, '--json'], io)).toBe(0);
    answers.set(question, JSON.parse(io.out.join('')));
  }
  const warehouse = await openDuckDbWarehouse(join(project.root, '.revops', 'warehouse.duckdb'), { readOnly: true });
  try {
    for (const [question, sql] of Object.entries(QUESTIONS)) truth.set(question as Question, (await warehouse.query(sql)).rows[0]!);
  } finally {
    await warehouse.close();
  }
}, 120_000);
afterAll(async () => project?.remove());

const answerOf = (q: Question): string => {
  const a = answers.get(q)!;
  expect(a.skill).toBe('metric_question');
  return a.answer;
};

describe('the quoted metric questions through revops ask', () => {
  it.each([
    ['average deal size for Enterprise deals won in 2026', ['Jan 1, 2026 to Dec 31, 2026', 'segment Enterprise']],
    ['how much did Sarah Johnson close last quarter?', ['Jul 1, 2026 to Sep 30, 2026', 'owner Sarah Johnson']],
    ['year-to-date closed-won', ['Jan 1, 2026 to Dec 1, 2026']],
    ['EMEA pipeline for Q1 2027', ['Jan 1, 2027 to Mar 31, 2027', 'region EMEA']],
  ] as const)('%s: the figure, its period and filters', (q, words) => {
    const row = truth.get(q)!;
    expect(row.v, 'the sample data has a figure for this question').not.toBeNull();
    const answer = answerOf(q);
    expect(answer).toContain(money(row.v));
    for (const w of words) expect(answer).toContain(w);
  });

  it('which rep has the most open pipeline?: that rep first, with the total over every rep', () => {
    const row = truth.get('which rep has the most open pipeline?')!;
    const answer = answerOf('which rep has the most open pipeline?');
    const lines = answer.split('\n');
    expect(lines[lines.findIndex((l) => l.startsWith('| ---')) + 1]).toContain(`| ${row.g} | ${money(row.v)} |`);
    expect(answer).toContain(money(row.total));
  });

  it('compare Q3 and Q4 revenue: both quarters and the change', () => {
    const row = truth.get('compare Q3 and Q4 revenue')!;
    const answer = answerOf('compare Q3 and Q4 revenue');
    expect(answer).toContain(`${money(row.v)} (close date Q3 2026`);
    expect(answer).toContain(`${money(row.w)} (close date Q4 2026`);
    expect(answer).toMatch(/Change from close date Q3 2026[^\n]* to close date Q4 2026[^\n]*: /u);
    expect(answer).toContain(`: ${money(Number(row.w) - Number(row.v))}`);
  });

  it('accounts at 85% of their seats: as many accounts as the SQL finds', () => {
    const n = Number(truth.get('accounts at 85% of their seats')!.v);
    expect(n).toBeGreaterThan(0);
    expect(answerOf('accounts at 85% of their seats')).toMatch(new RegExp(`(of ${n} groups|All ${n} groups)`, 'u'));
  });
});
