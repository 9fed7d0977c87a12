/** Eval suites from a checked project: defaults applied, each case pointing back at its line. */
import { DEFAULTS } from '../defaults.ts';
import { positionAt } from '../diagnostics/render.ts';
import type { EvalSuite } from '../manifest.ts';
import type { Project } from '../project.ts';

export function emitEvals(project: Project): EvalSuite[] {
  return project.evals
    .map(({ value, file, at }) => ({
      suite: value.suite,
      supervisor: value.supervisor,
      thresholds: {
        routing: value.thresholds?.routing ?? DEFAULTS.evalThresholds.routing,
        answers: value.thresholds?.answers ?? DEFAULTS.evalThresholds.answers,
      },
      cases: value.cases.map((c, i) => ({
        ask: c.ask,
        after: c.after ?? [],
        kind: c.kind,
        agent: c.agent,
        ...(c.skill ? { skill: c.skill } : {}),
        tools: c.tools ?? [],
        says: c.says ?? [],
        facts: (c.facts ?? []).map((f) => ({ sql: f.sql, as: f.as ?? 'text' })),
        neverSays: c.never_says ?? [],
        ...(c.declares === undefined ? {} : { declares: c.declares }),
        sideEffects: c.side_effects ?? true,
        at: `${file.path}:${positionAt(file.text, at(['cases', i]).start).line}`,
      })),
      source: file.path,
    }))
    .sort((a, b) => (a.suite < b.suite ? -1 : a.suite > b.suite ? 1 : 0));
}
