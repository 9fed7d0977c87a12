/**
 * What `pulumi up` would create for a manifest, computed under mocks: the stack program with placeholder settings
 * (every secret "configured", so the plan shows the production shape; values never appear).
 */
import * as pulumi from '@pulumi/pulumi';
import type { Manifest } from '../../compiler/manifest.ts';
import { DEFAULT_ENGINE, type DeployEngine, type StackConfig, namePrefixFor } from '../config.ts';
import { settingsCatalog } from '../settingsCatalog.ts';
import { type StackOutputs, type StackPaths, createStack } from '../stack.ts';
import { type PlanRun, runUnderMocks } from './runUnderMocks.ts';

export interface PlanOptions {
  engine?: DeployEngine;
  model?: string;
  knowledgeBaseId?: string;
  region?: string;
  stack?: string;
}

export const PLAN_ACCOUNT_ID = '123456789012';

export function planDeployment(manifest: Manifest, options: PlanOptions, paths: StackPaths):
  Promise<PlanRun<StackOutputs>> {
  const region = options.region ?? 'us-east-1';
  const stack = options.stack ?? 'plan';
  const program = () => {
    const settings = Object.fromEntries(settingsCatalog(manifest).map((s) =>
      [s.env, s.secret ? pulumi.secret(`<${s.configKey}>`) : `<${s.configKey}>`]));
    const config: StackConfig = {
      region, namePrefix: namePrefixFor(stack), model: options.model, knowledgeBaseId: options.knowledgeBaseId,
      engine: options.engine ?? DEFAULT_ENGINE, settings,
    };
    return createStack(manifest, config, paths);
  };
  return runUnderMocks(program, { region, accountId: PLAN_ACCOUNT_ID, stack, config: { 'aws:region': region } });
}
