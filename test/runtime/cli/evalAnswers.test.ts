import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalCase } from '../../../compiler/manifest.ts';
import { type AnswerSeen, judge, renderings } from '../../../runtime/cli/answerScore.ts';
import { command as evaluate } from '../../../runtime/cli/eval.ts';
import { captureIO, tempProject } from './tempProject.ts';

const baseCase: EvalCase = {
  ask: 'q', after: [], kind: 'plain', agent: 'deal_analysis', tools: [], says: [], facts: [], neverSays: [], sideEffects: true, at: 'x:1',
};
const seen = (over: Partial<AnswerSeen> = {}): AnswerSeen =>
  ({ answer: 'Deal **IXIS** is worth $2.1M', agents: ['deal_analysis'], skill: 'deal_status', tools: ['deal_lookup'], notDone: [], sideEffects: [], ...over });

describe('judging one answer', () => {
  it('passes when every expectation holds, ignoring case and Markdown emphasis', () => {
    const c = { ...baseCase, skill: 'deal_status', tools: ['deal_lookup'], says: ['deal ixis'], neverSays: ['Microsoft'], facts: [{ sql: 's', as: 'money' as const }] };
    expect(judge(c, seen(), [{ values: [2_100_000] }])).toEqual({ routed: true, passed: true, failures: [] });
  });

  it.each([
    [{ agent: 'data' }, {}, 'routed to deal_analysis, expected data'],
    [{ skill: 'deals_at_risk' }, {}, 'answered by skill deal_status, expected deals_at_risk'],
    [{ tools: ['deal_calls'] }, {}, 'did not call deal_calls'],
    [{ says: ['Negotiate'] }, {}, 'does not say "Negotiate"'],
    [{ neverSays: ['ixis'] }, {}, 'says "ixis"'],
    [{ declares: true }, {}, 'does not say which part it did not do'],
    [{ declares: false }, { notDone: ['notify Sarah'] }, 'says it did not do: notify Sarah'],
    [{ sideEffects: false }, { sideEffects: ['webhook_executor'] }, 'called webhook_executor, which has side effects'],
  ] as Array<[Partial<EvalCase>, Partial<AnswerSeen>, string]>)('fails on %j with %j', (over, got, reason) => {
    const verdict = judge({ ...baseCase, ...over }, seen(got), []);
    expect(verdict.passed).toBe(false);
    expect(verdict.failures).toContain(reason);
  });

  it('needs every value a fact returns, in one of the ways an answer writes it', () => {
    const c = { ...baseCase, facts: [{ sql: 's', as: 'money' as const }] };
    expect(judge(c, seen({ answer: 'worth $2,100,000' }), [{ values: [2_100_000] }]).passed).toBe(true);
    expect(judge(c, seen(), [{ values: [2_100_000, 800_000] }]).failures).toEqual(['does not state $800K (fact 1, money)']);
    expect(judge(c, seen(), [{ values: [] }]).failures).toEqual([expect.stringMatching(/^fact 1 found no records \(no rows\).*revops data seed --force/u)]);
    expect(judge(c, seen(), [{ values: [null] }]).failures).toEqual([expect.stringMatching(/^fact 1 found no records \(NULL\).*REVOPS_NOW/u)]);
    expect(judge(c, seen(), [{ error: 'no such table' }]).failures).toEqual(['fact 1 could not be read: no such table']);
  });

  it('writes values as the answer templates do', () => {
    expect(renderings(1234, 'count')).toEqual(['1234', '1,234']);
    expect(renderings(2_100_000, 'money')).toEqual(['$2.1M', '$2,100,000']);
    expect(renderings(75, 'percent')).toEqual(['75%', '75%']);
    expect(renderings('2026-12-31', 'date')).toEqual(['Dec 31, 2026']);
  });
});

describe('revops eval on answer suites', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  beforeAll(async () => {
    project = await tempProject();
    await rm(join(project.root, 'specs/evals'), { recursive: true, force: true });
    await mkdir(join(project.root, 'specs/evals'));
    await writeFile(join(project.root, 'specs/evals/probe.yaml'), [
      '# yaml-language-server: $schema=../../compiler/schemas/eval.schema.json',
      'suite: probe',
      'supervisor: manager',
      'thresholds: { routing: 1, answers: 0.5 }',
      'cases:',
      '  - ask: What is the status of the IXIS deal?',
      '    kind: plain',
      '    agent: deal_analysis',
      '    skill: deal_status',
      '    facts:',
      "      - { sql: \"SELECT amount FROM opportunities WHERE opportunity_name = 'IXIS-Snowflake Cost Replacement' AND close_date >= :today\", as: money }",
      '  - ask: What is the status of the IXIS deal, really?',
      '    kind: paraphrase',
      '    agent: deal_analysis',
      '    says: [a phrase no answer contains]',
      '',
    ].join('\n'));
  });
  afterAll(async () => project?.remove());

  it('reports routing and answer pass rates per suite, kind and collaborator, with each failure and its reason', async () => {
    const io = captureIO(project.root);
    expect(await evaluate.run(['--json'], io)).toBe(0);
    const report = JSON.parse(io.out.join(''));
    const [probe] = report.answers;
    expect(probe.all).toMatchObject({ total: 2, routed: 2, passed: 1, routing: 1, answers: 0.5 });
    expect(Object.keys(probe.byKind).sort()).toEqual(['paraphrase', 'plain']);
    expect(probe.byAgent.deal_analysis.total).toBe(2);
    expect(probe.failures).toEqual([expect.objectContaining({
      at: 'specs/evals/probe.yaml:12', ask: 'What is the status of the IXIS deal, really?',
      failures: ['does not say "a phrase no answer contains"'],
    })]);
    expect(probe.pass).toBe(true);
  });

  it('exits 1 when a suite is below its thresholds, and prints the failures', async () => {
    const io = captureIO(project.root);
    expect(await evaluate.run(['--kind', 'paraphrase', '--show-answers'], io)).toBe(1);
    const text = io.out.join('\n');
    expect(text).toMatch(/suite probe \(specs\/evals\/probe.yaml\): 1 cases, routing 100.0%, answers 0.0%/);
    expect(text).toMatch(/specs\/evals\/probe.yaml:12: "What is the status of the IXIS deal, really\?" \(paraphrase\)/);
    expect(text).toMatch(/answer: \*\*Deal Status: IXIS-Snowflake Cost Replacement/);
    expect(text).toMatch(/^FAIL: routing 100.0% \(threshold 100.0%\), answers 0.0% \(threshold 50.0%\)/m);
  });

  it('refuses an unknown suite by name', async () => {
    const io = captureIO(project.root);
    await expect(evaluate.run(['--suite', 'nope'], io)).rejects.toThrow("--suite: no eval suite named 'nope'");
  });
});
