/**
 * The CI gate of the answer evaluation: every shipped suite (specs/evals/*.yaml), run through the offline engine on
 * the sample warehouse on two days (below), meets the routing and answer thresholds it sets, and every fact has a value.
 * A failure prints each failed case with what was wrong, so the change that broke it is found from the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuiteScore } from '../../../runtime/cli/answerScore.ts';
import { command as evaluate } from '../../../runtime/cli/eval.ts';
import { captureIO, tempProject } from './tempProject.ts';

/**
 * The pinned clock of the other CLI tests, and a day a year later: the sample data moves with the clock, so a case
 * whose fact or phrase is tied to one date (a literal '2025-07-01') fails on the other. Both days are in a fourth
 * quarter: a bare quarter reads as this year's, so "compare Q3 and Q4 revenue" asked early in a year compares
 * quarters with no revenue yet, which the engine says and a fact cannot check.
 */
const CLOCKS = ['2025-11-14T09:00:00Z', '2026-12-01T15:00:00Z'];

const projects: Array<Awaited<ReturnType<typeof tempProject>>> = [];
const runs = new Map<string, SuiteScore[]>();
beforeAll(async () => {
  for (const now of CLOCKS) {
    const project = await tempProject();
    projects.push(project);
    const io = captureIO(project.root, { REVOPS_NOW: now });
    await evaluate.run(['--json'], io);
    runs.set(now, (JSON.parse(io.out.join('')) as { answers: SuiteScore[] }).answers);
  }
}, 600_000);
afterAll(async () => Promise.all(projects.map((p) => p.remove())));

const describeFailures = (s: SuiteScore): string =>
  s.failures.map((f) => `${f.at}: "${f.ask}" (${f.kind})\n  - ${f.failures.join('\n  - ')}\n  answer: ${f.answer.slice(0, 200)}`).join('\n');

describe('shipped answer evaluation (offline engine, two clocks)', () => {
  it('ships at least 150 cases outside the metrics suite', () => {
    const total = runs.get(CLOCKS[0]!)!.filter((s) => s.suite !== 'metrics').reduce((n, s) => n + s.all.total, 0);
    expect(total).toBeGreaterThanOrEqual(150);
  });

  it.each(CLOCKS)('at %s every suite meets its own routing and answer thresholds', (now) => {
    for (const s of runs.get(now)!) {
      const summary = `${s.suite}: routing ${s.all.routing}, answers ${s.all.answers}\n${describeFailures(s)}`;
      expect(s.all.routing, summary).toBeGreaterThanOrEqual(s.thresholds.routing);
      expect(s.all.answers, summary).toBeGreaterThanOrEqual(s.thresholds.answers);
      expect(s.pass, summary).toBe(true);
    }
  });

  it.each(CLOCKS)('at %s every fact of every case has a value to check the answer against', (now) => {
    const empty = runs.get(now)!.flatMap((s) => s.failures.flatMap((f) =>
      f.failures.filter((why) => / found no records /u.test(why)).map((why) => `${f.at}: "${f.ask}": ${why}`)));
    expect(empty).toEqual([]);
  });
});
