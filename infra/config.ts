/**
 * The stack configuration, read once by `infra/index.ts`. Everything optional has a default taken with `??`, so an
 * explicit empty or false value is never overridden by accident.
 */
import * as pulumi from '@pulumi/pulumi';
import { DEPLOY_ENGINES, type DeployEngine } from '../compiler/engines.ts';
import { InfraError } from './infraError.ts';
import type { SettingSpec } from './settingsCatalog.ts';

/**
 * Converse: it runs the same agents in the processor on any account with model access. Bedrock Agents ("Agents
 * Classic") is closed to new customers from 2026-07-30, so it is for accounts that already have it.
 */
export const DEFAULT_ENGINE: DeployEngine = 'converse';

export interface StackConfig {
  region: string;
  /** Prefix of every physical name (Lambda, queue, agent): `revops-<stack>`, so stacks can share an account. */
  namePrefix: string;
  /** Overrides the manifest's default model (agents naming their own model keep it). */
  model?: string;
  knowledgeBaseId?: string;
  engine: DeployEngine;
  /** Setting values by env name: secrets as secret Outputs, plain settings as strings; absent when unset. */
  settings: Record<string, pulumi.Input<string> | undefined>;
}

/** Bedrock's name pattern `^([0-9a-zA-Z][_-]?){1,100}$` also fits Lambda, SQS and IAM names. */
export function namePrefixFor(stack: string): string {
  const cleaned = stack.replace(/[^0-9A-Za-z]+/g, '-').replace(/^-+|-+$/g, '');
  return `revops-${cleaned || 'stack'}`.slice(0, 30);
}

export function parseEngine(value: string | undefined): DeployEngine {
  const engine = value ?? DEFAULT_ENGINE;
  if (!(DEPLOY_ENGINES as readonly string[]).includes(engine)) {
    throw new InfraError('RV_INFRA_CONFIG', `revops:engine is '${engine}'; use one of ${DEPLOY_ENGINES.join(', ')} ` +
      `(pulumi config set revops:engine converse)`);
  }
  return engine as DeployEngine;
}

/** Reads `aws:region` and `revops:*` from the current stack's config. */
export function readStackConfig(catalog: SettingSpec[]): StackConfig {
  const revops = new pulumi.Config('revops');
  const region = new pulumi.Config('aws').get('region');
  if (!region) throw new InfraError('RV_INFRA_CONFIG', 'aws:region is not set; run `pulumi config set aws:region us-east-1`');
  const settings: StackConfig['settings'] = {};
  for (const s of catalog) settings[s.env] = s.secret ? revops.getSecret(s.configKey) : revops.get(s.configKey);
  return {
    region,
    namePrefix: revops.get('namePrefix') ?? namePrefixFor(pulumi.getStack()),
    model: revops.get('model'),
    knowledgeBaseId: revops.get('knowledgeBaseId'),
    engine: parseEngine(revops.get('engine')),
    settings,
  };
}
