/**
 * `revops plan [--json] [--against OLD_MANIFEST]`: what `pulumi up` would deploy for the current specs, computed
 * in-process under Pulumi's mocks — no AWS account, no Pulumi CLI. `--against` also shows which agents change (new
 * version, prepared again), which aliases move, and which tools and channels change. A name or size over its AWS
 * limit fails the plan (exit 1) with one line per problem naming the value and the limit.
 */
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import { type Command, UsageError } from '../../compiler/cli/command.ts';
import { DEPLOY_ENGINES } from '../../compiler/engines.ts';
import { BUNDLE_DIR } from '../bundles.ts';
import { parseEngine } from '../config.ts';
import { readManifest } from '../manifestSource.ts';
import { manifestForCommand } from './manifestForCommand.ts';
import { diffManifests, renderDiff } from '../plan/manifestDiff.ts';
import { planDeployment } from '../plan/planDeployment.ts';
import { planEntries, renderPlanTable } from '../plan/renderPlan.ts';
import { renderLimitProblems } from '../plan/deployLimits.ts';

export const command: Command = {
  summary: 'Show every AWS resource `pulumi up` would deploy (no AWS account needed)',
  usage: 'revops plan [--json] [--against OLD_MANIFEST] ' +
    `[--engine ${DEPLOY_ENGINES.join('|')}] [--model ID] ` +
    '[--knowledge-base ID] [--region REGION] [--name-prefix PREFIX]',
  async run(args, io) {
    let values;
    try {
      ({ values } = parseArgs({
        args,
        options: {
          json: { type: 'boolean', default: false },
          against: { type: 'string' },
          engine: { type: 'string' },
          model: { type: 'string' },
          'knowledge-base': { type: 'string' },
          region: { type: 'string' },
          'name-prefix': { type: 'string' },
        },
      }));
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    let engine;
    try {
      engine = parseEngine(values.engine);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const loaded = await manifestForCommand(io);
    if (!loaded) return 1;
    const { manifestPath, manifest } = loaded;
    const options = {
      engine, model: values.model, knowledgeBaseId: values['knowledge-base'], region: values.region, namePrefix: values['name-prefix'],
    };
    const run = await planDeployment(manifest, options, { bundleDir: join(io.cwd, BUNDLE_DIR), manifestPath });
    if (run.problems.length) {
      io.stderr(renderLimitProblems(run.problems));
      return 1;
    }
    const entries = planEntries(run.resources);
    const diff = values.against
      ? diffManifests(await readManifest(values.against), manifest,
        { stackModel: values.model, knowledgeBaseId: values['knowledge-base'] })
      : undefined;
    if (values.json) {
      io.stdout(JSON.stringify(diff ? { resources: entries, diff } : entries, null, 2));
    } else {
      io.stdout(renderPlanTable(entries));
      if (diff) io.stdout(`\nchanges against ${values.against}:\n${renderDiff(diff)}`);
    }
    return 0;
  },
};
