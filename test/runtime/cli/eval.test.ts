import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as evaluate } from '../../../runtime/cli/eval.ts';
import { captureIO, tempProject } from './tempProject.ts';

let project: Awaited<ReturnType<typeof tempProject>>;
beforeAll(async () => {
  project = await tempProject();
  // Routing examples only: the answer suites have their own tests (evalAnswers.test.ts).
  await rm(join(project.root, 'specs/evals'), { recursive: true, force: true });
});
afterAll(async () => project?.remove());

describe('revops eval (offline)', () => {
  it('leave-one-out routing accuracy is at least 90% overall and 80% per collaborator, on at least 8 examples each', async () => {
    const io = captureIO(project.root);
    expect(await evaluate.run(['--json'], io)).toBe(0);
    const report = JSON.parse(io.out.join(''));
    expect(report.pass).toBe(true);
    expect(report.leaveOneOut.accuracy).toBeGreaterThanOrEqual(0.9);
    const agents = Object.entries(report.leaveOneOut.perAgent) as Array<[string, { total: number; accuracy: number }]>;
    expect(agents.map(([a]) => a).sort()).toEqual(['data', 'deal_analysis', 'execution', 'lead_analysis', 'web_search']);
    for (const [, s] of agents) {
      expect(s.total).toBeGreaterThanOrEqual(8);
      expect(s.accuracy).toBeGreaterThanOrEqual(0.8);
    }
    // With its own example in the index every example routes home.
    expect(report.all.accuracy).toBe(1);
  });

  it('prints per-collaborator accuracy and a confusion matrix', async () => {
    const io = captureIO(project.root);
    expect(await evaluate.run([], io)).toBe(0);
    const text = io.out.join('\n');
    expect(text).toMatch(/offline: leave-one-out .*: \d+\/\d+ = [\d.]+%/);
    expect(text).toMatch(/confusion \(rows: expected, columns: routed\)/);
    expect(text).toMatch(/^PASS: [\d.]+% >= threshold 90%/m);
  });

  it('exits 1 when accuracy is below the routes spec threshold', async () => {
    const routes = join(project.root, 'specs/routes/manager.yaml');
    const original = await readFile(routes, 'utf8');
    await writeFile(routes, original.replace(/^threshold: .*$/m, 'threshold: 1'));
    try {
      const io = captureIO(project.root);
      await evaluate.run(['--json'], io);
      expect(JSON.parse(io.out.join('')).leaveOneOut.accuracy).toBeLessThan(1);
      expect(await evaluate.run([], captureIO(project.root))).toBe(1);
    } finally {
      await writeFile(routes, original);
    }
  });
});
