/**
 * Every part of a question answered or declared: two analyses joined by "and" without a verb are each answered,
 * a breakdown no skill gives is named as not done, the skill that applies the question's qualifiers answers it,
 * and a person's name beside a measure is an owner filter. Figures are compared with SQL over the same warehouse.
 */
import { describe, expect, it } from 'vitest';
import type { InvokeResult } from '../../../../runtime/engines/collect.ts';
import { money } from '../../../../runtime/engines/offline/filters.ts';
import { findGroupings } from '../../../../runtime/engines/offline/groupings.ts';
import { stem } from '../../../../runtime/engines/offline/text.ts';
import { seededProjectPerFile } from './seedProject.ts';

const seeded = seededProjectPerFile();
const { ask } = seeded;

const calls = (r: InvokeResult) => r.events.flatMap((e) => (e.type === 'tool_call' ? [{ tool: e.tool, params: e.parameters }] : []));
const skills = (r: InvokeResult) => r.events.flatMap((e) => (e.type === 'answer' && e.agent !== 'manager' && e.skill ? [e.skill] : []));
const value = async (sql: string): Promise<number> => Number(Object.values((await seeded.project.warehouse.query(sql)).rows[0]!)[0] ?? 0);

describe('two analyses joined by "and"', () => {
  it.each([
    ['churn risk for PLG customers and expansion signals', ['churn_risk', 'expansion_signals']],
    ['pipeline by stage and MQLs this quarter', ['metric_question', 'mql_scoring']],
    ['deals at risk this quarter and expansion signals', ['deals_at_risk', 'expansion_signals']],
  ])('"%s" answers each part', async (text, expected) => {
    const r = await ask(text);
    expect(skills(r)).toEqual(expected);
    expect(r.notDone).toEqual([]);
  });

  it('a period that ends the message is every part\'s', async () => {
    const r = await ask('pipeline by stage and MQLs this quarter');
    const [pipeline, mqls] = calls(r);
    expect(pipeline!.params).toMatchObject({ measure: 'pipeline', group_by: 'stage', period: '2025-10-01..2025-12-31' });
    expect(mqls!.params).toMatchObject({ period_start: '2025-10-01', period_end: '2025-12-31' });
  });

  it.each([
    'compare Q3 and Q4 revenue',
    'John Smith from DataCorp and Initech',
    'which deals are closing this month and what are they worth?',
    'MEDDPICC champion and economic buyer on the IXIS deal',
    "research Initech's technology stack and hiring news",
  ])('"%s" stays one request', async (text) => {
    const r = await ask(text);
    expect(r.events.filter((e) => e.type === 'route' && e.agent === 'manager')).toHaveLength(1);
  });

  it('two measures of one reading: one computed, the other declared; a measure word is not a forecast category', async () => {
    const r = await ask('pipeline and weighted pipeline by region');
    expect(calls(r)).toHaveLength(1);
    expect(calls(r)[0]!.params).toMatchObject({ measure: 'weighted_pipeline', group_by: 'region' });
    expect(calls(r)[0]!.params.filters).toBeUndefined();
    expect(r.notDone.map((n) => n.part)).toEqual(['pipeline']);
    const truth = await value('SELECT SUM(amount * probability / 100) FROM opportunities WHERE is_closed = false');
    expect(r.answer).toContain(money(truth));
  });
});

describe('breakdowns no skill gives are declared', () => {
  it.each([
    ['churn risk by industry', 'churn_risk', 'by industry', /break this down by industry/],
    ['MQLs by source', 'mql_scoring', 'by source', /break this down by source/],
    ['which reps have the most stalled deals?', 'deals_at_risk', 'which reps have the most', /break this down by reps/],
  ])('"%s": %s, "%s" not done', async (text, skill, part, reason) => {
    const r = await ask(text);
    expect(r.skill).toBe(skill);
    const entry = r.notDone.find((n) => n.part === part);
    expect(entry?.reason).toMatch(reason);
    expect(r.answer).toContain(entry!.reason);
  });

  it.each([
    ['analyze Q4 pipeline by segment', 'revenue_performance'],
    ['give me the weighted pipeline by stage for next quarter', 'quarter_pipeline'],
    ['top 5 customers by churn risk', 'churn_risk'],
  ])('"%s": the breakdown is the skill\'s own', async (text, skill) => {
    const r = await ask(text);
    expect(r.skill).toBe(skill);
    expect(r.notDone.filter((n) => /break this down/u.test(n.reason))).toEqual([]);
  });

  it('a breakdown the metrics layer has is computed, not declared', async () => {
    const r = await ask('win rate by industry');
    expect(r.skill).toBe('metric_question');
    expect(calls(r)[0]!.params.group_by).toBe('industry');
    expect(r.notDone).toEqual([]);
  });

  it('reads what a breakdown is by, not names, dates or orders', () => {
    const by = (text: string) => findGroupings(seeded.project.engine.analyse(text)).map((g) => g.by);
    expect(by('pipeline by region and per rep')).toEqual(['region', 'rep']);
    expect(by('which industry has the highest win rate?')).toEqual(['industry']);
    expect(by('deals owned by Sarah Johnson')).toEqual([]);
    expect(by('rank the MQLs sorted by score')).toEqual([]);
    expect(by('deals closing by end of year')).toEqual([]);
  });
});

describe('the skill that applies the question answers it', () => {
  it('a segment the report cannot filter by goes to the metric that can', async () => {
    const r = await ask('Enterprise pipeline this quarter');
    expect(r.skill).toBe('metric_question');
    const truth = await value(`SELECT SUM(amount) FROM opportunities WHERE is_closed = false AND segment = 'Enterprise' AND close_date BETWEEN '2025-10-01' AND '2025-12-31'`);
    expect(r.answer).toContain(money(truth));
    expect(r.notDone).toEqual([]);
  });

  it("a person's name beside a measure is an owner filter, not a lead to assess", async () => {
    const r = await ask("Sarah Johnson's pipeline this quarter");
    expect(r.events.find((e) => e.type === 'route' && e.agent === 'manager')).toMatchObject({ target: 'data' });
    expect(calls(r)[0]!.params.filters).toBe('owner = Sarah Johnson');
    const truth = await value(`SELECT SUM(amount) FROM opportunities WHERE is_closed = false AND owner_name = 'Sarah Johnson' AND close_date BETWEEN '2025-10-01' AND '2025-12-31'`);
    expect(r.answer).toContain(money(truth));
  });

  it.each([
    ['pipeline closing in the next 60 days', 'quarter_pipeline'],
    ['who is using more than they pay for and could buy more seats?', 'expansion_signals'],
    ['which open deals this quarter need attention?', 'deals_at_risk'],
    ['how much pipeline closes in the next 60 days?', 'metric_question'],
  ])('"%s" → %s', async (text, skill) => {
    expect((await ask(text)).skill).toBe(skill);
  });

  it('"an update on" a deal asks for its status and writes nothing', async () => {
    const r = await ask('give me an update on the IXIS deal');
    expect(r.skill).toBe('deal_status');
    expect(r.events.some((e) => e.type === 'approval_needed')).toBe(false);
  });
});

describe('word forms', () => {
  it('stems keep a word and its -s, -ing and -ed forms together', () => {
    for (const forms of [['close', 'closes', 'closing', 'closed'], ['update', 'updated', 'updating'], ['stall', 'stalled', 'stalls'], ['score', 'scored', 'scoring'], ['call', 'called', 'calls']]) {
      expect(new Set(forms.map(stem))).toEqual(new Set([forms[0]]));
    }
    expect(stem('looking')).toBe('look');
    expect(stem('stopping')).toBe('stop');
  });
});
