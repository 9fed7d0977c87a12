/**
 * What `pulumi up` would create for a manifest, computed under mocks: the stack program with placeholder settings
 * (every secret "configured", so the plan shows the production shape; values never appear), and every AWS naming
 * and size limit the result would pass (deployLimits.ts).
 */
import * as pulumi from '@pulumi/pulumi';
import type { Manifest } from '../../compiler/manifest.ts';
import { deployFacts, type DeployEngine } from '../../compiler/engines.ts';
import { DEFAULT_ENGINE, type StackConfig, namePrefixFor } from '../config.ts';
import { settingsCatalog } from '../settingsCatalog.ts';
import { type StackOutputs, type StackPaths, createStack, stackModels } from '../stack.ts';
import { actionGroupBudgetProblems, type LimitProblem, resourceLimitProblems } from './deployLimits.ts';
import { type PlanRun, runUnderMocks } from './runUnderMocks.ts';

export interface PlanOptions {
  engine?: DeployEngine;
  model?: string;
  knowledgeBaseId?: string;
  region?: string;
  stack?: string;
  /** The stack's `revops:namePrefix`; without it, the prefix the stack name gives (namePrefixFor). */
  namePrefix?: string;
}

export const PLAN_ACCOUNT_ID = '123456789012';

export type DeploymentPlan = PlanRun<StackOutputs> & { problems: LimitProblem[] };

export async function planDeployment(manifest: Manifest, options: PlanOptions, paths: StackPaths): Promise<DeploymentPlan> {
  const region = options.region ?? 'us-east-1';
  const engine = options.engine ?? DEFAULT_ENGINE;
  // Checked before the program runs: an error thrown inside it would also surface as an unhandled rejection.
  stackModels(manifest, { model: options.model, region });
  const stack = options.stack ?? 'plan';
  const program = () => {
    const settings = Object.fromEntries(settingsCatalog(manifest).map((s) =>
      [s.env, s.secret ? pulumi.secret(`<${s.configKey}>`) : `<${s.configKey}>`]));
    const config: StackConfig = {
      region, namePrefix: options.namePrefix ?? namePrefixFor(stack), model: options.model, knowledgeBaseId: options.knowledgeBaseId,
      engine, settings,
    };
    return createStack(manifest, config, paths);
  };
  const run = await runUnderMocks(program, { region, accountId: PLAN_ACCOUNT_ID, stack, config: { 'aws:region': region } });
  const problems = [...resourceLimitProblems(run.resources), ...(deployFacts(engine).agentsRunIn === 'bedrock-agents' ? actionGroupBudgetProblems(manifest) : [])];
  return { ...run, problems };
}
