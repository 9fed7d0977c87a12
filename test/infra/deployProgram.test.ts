/**
 * `pulumi up` refuses what `revops plan` refuses, before it declares anything: the program (infra/deployProgram.ts)
 * run under `pulumi.runtime.setMocks` with a stack configuration that passes an AWS limit registers no resource and
 * stops with a RunError (Pulumi prints its message alone) carrying the plan's diagnostics.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../compiler/manifest.ts';
import type { StackConfig } from '../../infra/config.ts';
import { deployProgram, stopOnUserMistake } from '../../infra/deployProgram.ts';
import { PLAN_ACCOUNT_ID } from '../../infra/plan/planDeployment.ts';
import { runUnderMocks } from '../../infra/plan/runUnderMocks.ts';
import { settingsCatalog } from '../../infra/settingsCatalog.ts';
import type { StackPaths } from '../../infra/stack.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { repoRoot, T } from './planHelpers.ts';

const manifest: Manifest = fixtureManifest();
let paths: StackPaths;
beforeAll(async () => {
  // The limits check plans from the manifest file, as `pulumi up` does.
  const dir = await mkdtemp(join(tmpdir(), 'revops-deploy-'));
  paths = { bundleDir: join(repoRoot, 'dist', 'lambda'), manifestPath: join(dir, 'manifest.json') };
  await writeFile(paths.manifestPath, JSON.stringify(manifest));
});

const configWith = (overrides: Partial<StackConfig>): StackConfig => ({
  region: 'us-east-1', namePrefix: 'revops-prod', engine: 'converse',
  settings: Object.fromEntries(settingsCatalog(manifest).map((s) => [s.env, `<${s.configKey}>`])), ...overrides,
});

/** The program under mocks: what it registered, and what it threw. */
async function up(config: StackConfig) {
  let failure: unknown;
  const run = await runUnderMocks(async () => {
    await deployProgram({ manifest, config, paths, stack: 'prod' }).catch((error: unknown) => { failure = error; });
  }, { region: config.region, accountId: PLAN_ACCOUNT_ID, stack: 'prod', config: { 'aws:region': config.region } });
  return { resources: run.resources, failure };
}

describe('pulumi up checks the limits revops plan checks, before declaring anything', () => {
  it('a name prefix that makes a Lambda name pass 64 characters stops the program, naming the name, its length and the limit', async () => {
    const namePrefix = `revops-${'a'.repeat(50)}`;
    const { resources, failure } = await up(configWith({ namePrefix }));
    expect(resources).toEqual([]);
    expect(pulumi.RunError.isInstance(failure)).toBe(true);
    const name = `${namePrefix}-webhook-processor`;
    expect((failure as Error).message).toContain(
      `RV_INFRA_LIMIT: channel-webhook-processor-function: name '${name}' must be at most 64 characters (it has ${name.length})`);
    expect((failure as Error).message).toMatch(/\d+ AWS limit\(s\) exceeded; nothing to deploy until they are fixed\.$/);
  }, 60_000);

  it('a model its region cannot call stops it the same way', async () => {
    const { resources, failure } = await up(configWith({ model: 'eu.anthropic.claude-sonnet-4-6' }));
    expect(resources).toEqual([]);
    expect(pulumi.RunError.isInstance(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/^RV_INFRA_PROFILE: model 'eu\.anthropic\.claude-sonnet-4-6'/);
  }, 60_000);

  it('within the limits, declares the stack', async () => {
    const { resources, failure } = await up(configWith({}));
    expect(failure).toBeUndefined();
    expect(resources.filter((r) => r.type === T.fn).map((r) => r.inputs.name)).toEqual(expect.arrayContaining(['revops-prod-webhook-processor']));
  }, 60_000);
});

describe('stopOnUserMistake', () => {
  it('turns an infra user mistake into a RunError and leaves a bug as it is', async () => {
    const mistake = await stopOnUserMistake(() => { throw new Error('RV_INFRA_CONFIG: aws:region is not set'); }).catch((e: unknown) => e);
    expect(pulumi.RunError.isInstance(mistake)).toBe(true);
    expect((mistake as Error).message).toBe('RV_INFRA_CONFIG: aws:region is not set');
    const bug = new TypeError('x is undefined');
    await expect(stopOnUserMistake(() => { throw bug; })).rejects.toBe(bug);
  });
});
