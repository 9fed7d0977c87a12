/**
 * The CI gate of the answer evaluation: every shipped suite (specs/evals/*.yaml), run through the offline engine on
 * the sample warehouse with the pinned clock of the other CLI tests, meets the routing and answer thresholds it sets.
 * A failure prints each failed case with what was wrong, so the change that broke it is found from the log.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SuiteScore } from '../../../runtime/cli/answerScore.ts';
import { command as evaluate } from '../../../runtime/cli/eval.ts';
import { captureIO, tempProject } from './tempProject.ts';

let project: Awaited<ReturnType<typeof tempProject>>;
let suites: SuiteScore[];
beforeAll(async () => {
  project = await tempProject();
  const io = captureIO(project.root);
  await evaluate.run(['--json'], io);
  suites = (JSON.parse(io.out.join('')) as { answers: SuiteScore[] }).answers;
}, 600_000);
afterAll(async () => project?.remove());

const describeFailures = (s: SuiteScore): string =>
  s.failures.map((f) => `${f.at}: "${f.ask}" (${f.kind})\n  - ${f.failures.join('\n  - ')}\n  answer: ${f.answer.slice(0, 200)}`).join('\n');

describe('shipped answer evaluation (offline engine, pinned clock)', () => {
  it('ships at least 150 cases outside the metrics suite', () => {
    const total = suites.filter((s) => s.suite !== 'metrics').reduce((n, s) => n + s.all.total, 0);
    expect(total).toBeGreaterThanOrEqual(150);
  });

  it('every suite meets its own routing and answer thresholds', () => {
    for (const s of suites) {
      const summary = `${s.suite}: routing ${s.all.routing}, answers ${s.all.answers}\n${describeFailures(s)}`;
      expect(s.all.routing, summary).toBeGreaterThanOrEqual(s.thresholds.routing);
      expect(s.all.answers, summary).toBeGreaterThanOrEqual(s.thresholds.answers);
      expect(s.pass, summary).toBe(true);
    }
  });
});
