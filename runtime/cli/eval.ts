/**
 * `revops eval`: two measures. Routing: every routing example of a supervisor, accuracy per collaborator and a
 * confusion matrix; offline also leave-one-out (each example routed with itself left out of the index), the honest
 * figure, checked against the routes spec's threshold; other engines are run end to end and their first delegation
 * counts. Answers: every case of the eval suites (specs/evals/*.yaml) asked end to end and judged on what a right
 * answer must hold, with routing and answer pass rates per collaborator and per kind of question, checked against
 * each suite's thresholds. Exits 1 when any measure is below its threshold.
 */
import { parseArgs } from 'node:util';
import type { Engine } from '../engines/engine.ts';
import { createEngine } from '../engines/index.ts';
import type { OfflineEngine } from '../engines/offline/index.ts';
import { routingExamples } from '../engines/offline/router.ts';
import { ENGINE_OPTION, parseEngine, entryAgent } from './ask.ts';
import { type Command, UsageError } from '../../compiler/cli/command.ts';
import { loadProject } from './loadProject.ts';
import { renderSuite, scoreSuite, type SuiteScore } from './answerScore.ts';
import { type Judged, judgeSuite, readEvalSuites } from './evalAnswers.ts';
import { type RoutedCase, renderScore, scoreRouting } from './routingScore.ts';

/** Where an engine sent a question: its first delegation (or route), else the entry agent itself. */
async function routedBy(engine: Engine, supervisor: string, text: string, i: number): Promise<string> {
  for await (const e of engine.invoke({ agent: supervisor, text, sessionId: `eval-${i}` })) {
    if ((e.type === 'delegate' || e.type === 'route') && e.agent === supervisor) return e.target;
  }
  return supervisor;
}

export function leaveOneOut(engine: OfflineEngine, supervisor: string, examples: ReturnType<typeof routingExamples>): RoutedCase[] {
  return examples.map((e) => ({
    text: e.text, expected: e.agent,
    actual: engine.router(supervisor, e).route(engine.analyse(e.text).terms).target ?? supervisor,
  }));
}

export const command: Command = {
  summary: 'Measure routing accuracy (routing examples) and answer quality (specs/evals); exit 1 below a threshold.',
  usage: `revops eval ${ENGINE_OPTION} [--agent SUPERVISOR] [--suite NAME] [--kind KIND] [--show-answers] [--json]`,
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: {
      engine: { type: 'string' }, agent: { type: 'string' }, json: { type: 'boolean' },
      suite: { type: 'string' }, kind: { type: 'string' }, 'show-answers': { type: 'boolean' },
    } });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const engineName = parseEngine(values.engine);
    const project = await loadProject(io.cwd, io.env, io);
    try {
      const supervisor = entryAgent(project.manifest, values.agent);
      const routes = project.manifest.routes.find((r) => r.supervisor === supervisor);
      if (!routes) throw new UsageError(`no routes spec for supervisor '${supervisor}' (specs/routes/${supervisor}.yaml)`);
      const examples = routingExamples(project.manifest, supervisor);
      const engine = await createEngine(engineName, { ...project, env: io.env });
      if (engineName === 'offline') await (engine as OfflineEngine).ready();
      const cases: RoutedCase[] = [];
      for (const [i, e] of examples.entries()) cases.push({ text: e.text, expected: e.agent, actual: await routedBy(engine, supervisor, e.text, i) });
      const all = scoreRouting(cases);
      const loo = engineName === 'offline' ? scoreRouting(leaveOneOut(engine as OfflineEngine, supervisor, examples)) : undefined;
      const judged = loo ?? all;
      const routingPass = judged.accuracy >= routes.threshold;
      const suites = (await readEvalSuites(io.cwd)).filter((x) => x.supervisor === supervisor && (!values.suite || x.suite === values.suite));
      if (values.suite && !suites.length) throw new UsageError(`--suite: no eval suite named '${values.suite}' for supervisor '${supervisor}'`);
      const scores: SuiteScore[] = [];
      const everyCase: Judged[] = [];
      for (const suite of suites) {
        const judgedCases = await judgeSuite(suite, { engine, manifest: project.manifest, warehouse: project.warehouse, now: project.now },
          (c) => !values.kind || c.kind === values.kind);
        scores.push(scoreSuite(suite, judgedCases));
        everyCase.push(...judgedCases);
      }
      // Every suite gates on its own thresholds; the sum over all of them is reported, with the strictest thresholds.
      const overall = scores.length > 1 ? scoreSuite({
        suite: 'all', source: `${scores.length} suites`,
        thresholds: { routing: Math.max(...suites.map((x) => x.thresholds.routing)), answers: Math.max(...suites.map((x) => x.thresholds.answers)) },
      }, everyCase) : undefined;
      const pass = routingPass && scores.every((x) => x.pass);
      if (values.json) {
        io.stdout(JSON.stringify({ engine: engineName, supervisor, threshold: routes.threshold, pass, all, leaveOneOut: loo, answers: scores, overall }, null, 2));
      } else {
        io.stdout(renderScore(`${engineName}: routing examples`, all));
        if (loo) io.stdout(`\n${renderScore('offline: leave-one-out (each example routed with itself removed)', loo)}`);
        io.stdout(`\n${routingPass ? 'PASS' : 'FAIL'}: ${(judged.accuracy * 100).toFixed(1)}% ${routingPass ? '>=' : '<'} threshold ${(routes.threshold * 100).toFixed(0)}% (${routes.source})`);
        for (const score of scores) io.stdout(`\n${renderSuite(score, { answers: values['show-answers'] ?? false })}`);
        if (overall) io.stdout(`\n${renderSuite({ ...overall, failures: [] })}`);
      }
      return pass ? 0 : 1;
    } finally {
      await project.close();
    }
  },
};
