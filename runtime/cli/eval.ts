/**
 * `revops eval`: routes every routing example of a supervisor and prints accuracy per collaborator and a confusion
 * matrix. Offline it also routes each example with itself left out of the index (leave-one-out), the honest figure,
 * and checks that one against the routes spec's threshold; other engines are run end to end and their first
 * delegation counts. Exits 1 below the threshold.
 */
import { parseArgs } from 'node:util';
import type { Engine } from '../engines/engine.ts';
import { createEngine } from '../engines/index.ts';
import type { OfflineEngine } from '../engines/offline/index.ts';
import { routingExamples } from '../engines/offline/router.ts';
import { parseEngine, entryAgent } from './ask.ts';
import { type Command, UsageError } from './command.ts';
import { loadProject } from './loadProject.ts';
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
  summary: 'Measure routing accuracy on the routing examples (offline: also leave-one-out); exit 1 below the threshold.',
  usage: 'revops eval [--engine offline|bedrock-agents|converse] [--agent SUPERVISOR] [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { engine: { type: 'string' }, agent: { type: 'string' }, json: { type: 'boolean' } } });
    if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
    const engineName = parseEngine(values.engine);
    const project = await loadProject(io.cwd, io.env, io);
    try {
      const supervisor = entryAgent(project.manifest, values.agent);
      const routes = project.manifest.routes.find((r) => r.supervisor === supervisor);
      if (!routes) throw new UsageError(`no routes spec for supervisor '${supervisor}' (specs/routes/${supervisor}.yaml)`);
      const examples = routingExamples(project.manifest, supervisor);
      const engine = await createEngine(engineName, { ...project, env: io.env });
      const cases: RoutedCase[] = [];
      for (const [i, e] of examples.entries()) cases.push({ text: e.text, expected: e.agent, actual: await routedBy(engine, supervisor, e.text, i) });
      const all = scoreRouting(cases);
      const loo = engineName === 'offline' ? scoreRouting(leaveOneOut(engine as OfflineEngine, supervisor, examples)) : undefined;
      const judged = loo ?? all;
      const pass = judged.accuracy >= routes.threshold;
      if (values.json) {
        io.stdout(JSON.stringify({ engine: engineName, supervisor, threshold: routes.threshold, pass, all, leaveOneOut: loo }, null, 2));
      } else {
        io.stdout(renderScore(`${engineName}: routing examples`, all));
        if (loo) io.stdout(`\n${renderScore('offline: leave-one-out (each example routed with itself removed)', loo)}`);
        io.stdout(`\n${pass ? 'PASS' : 'FAIL'}: ${(judged.accuracy * 100).toFixed(1)}% ${pass ? '>=' : '<'} threshold ${(routes.threshold * 100).toFixed(0)}% (${routes.source})`);
      }
      return pass ? 0 : 1;
    } finally {
      await project.close();
    }
  },
};
