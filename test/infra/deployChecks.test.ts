/**
 * What a real account would refuse, caught at plan time under mocks: the model the processor calls and the model
 * its role may invoke (one rule), an inference profile its region cannot call, and every AWS name or size limit.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { agentModel, type Manifest } from '../../compiler/manifest.ts';
import { ensureManifest } from '../../infra/manifestSource.ts';
import type { CommandIO } from '../../compiler/cli/command.ts';
import { command } from '../../infra/cli/plan.ts';
import { ACTION_GROUP_MAX_RESULT_CHARS, resourceLimitProblems } from '../../infra/plan/deployLimits.ts';
import { PLAN_ACCOUNT_ID, planDeployment } from '../../infra/plan/planDeployment.ts';
import { checkModelRegion, modelInvokeArns } from '../../infra/policies/modelArns.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { input, Plan, repoRoot, T } from './planHelpers.ts';

interface PolicyDocument { Statement: Array<{ Action: string[]; Resource: string[] }> }

const invokable = (plan: Plan, channel: string): string[] => {
  const policy = JSON.parse(input(plan.get(T.rolePolicy, `channel-${channel}-processor-policy`), 'policy')) as PolicyDocument;
  return policy.Statement.find((s) => s.Action.includes('bedrock:InvokeModel'))?.Resource ?? [];
};
const processorEnv = (plan: Plan, channel: string) =>
  input<{ variables: Record<string, string> }>(plan.get(T.fn, `channel-${channel}-processor-function`), 'environment').variables;

function capture(): { io: CommandIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, env: {}, cwd: repoRoot } };
}

describe('the model the processor calls is the model its role may invoke', () => {
  const X = 'eu.anthropic.claude-sonnet-4-6';

  it('with a stack model, sets REVOPS_MODEL on every processor and grants exactly the models agentModel picks', async () => {
    const manifest = fixtureManifest();
    const plan = await Plan.of(manifest, { engine: 'converse', model: X, region: 'eu-west-1' });
    const models = [...new Set(manifest.agents.map((a) => agentModel(manifest, a, X)))];
    expect(models).toContain(X);
    expect(models).toContain('anthropic.claude-3-5-haiku-20241022-v1:0'); // an agent's own model is kept
    const expected = models.flatMap((m) => modelInvokeArns(m, 'eu-west-1', PLAN_ACCOUNT_ID)).sort();
    for (const channel of manifest.channels) {
      expect(processorEnv(plan, channel.name).REVOPS_MODEL).toBe(X);
      expect(invokable(plan, channel.name)).toEqual(expected);
    }
  });

  it('without one, sets no REVOPS_MODEL and grants the manifest default', async () => {
    const manifest = fixtureManifest();
    const plan = await Plan.of(manifest, { engine: 'converse' });
    expect(processorEnv(plan, 'slack').REVOPS_MODEL).toBeUndefined();
    expect(invokable(plan, 'slack')).toEqual(expect.arrayContaining(modelInvokeArns(manifest.defaults.model, 'us-east-1', PLAN_ACCOUNT_ID)));
  });

  it('revops plan --json --model X configures and permits X', async () => {
    const { io, out } = capture();
    expect(await command.run(['--json', '--engine', 'converse', '--model', 'global.anthropic.claude-sonnet-4-6'], io)).toBe(0);
    const entries = JSON.parse(out.join('')) as Array<{ type: string; name: string; inputs: Record<string, unknown> }>;
    const processors = entries.filter((e) => e.type === T.fn && e.name.endsWith('-processor-function'));
    expect(processors.length).toBeGreaterThan(0);
    for (const p of processors) expect((p.inputs.environment as { variables: Record<string, string> }).variables.REVOPS_MODEL).toBe('global.anthropic.claude-sonnet-4-6');
    const policies = entries.filter((e) => e.type === T.rolePolicy && e.name.endsWith('-processor-policy'));
    for (const p of policies) {
      const doc = JSON.parse(p.inputs.policy as string) as PolicyDocument;
      expect(doc.Statement.find((s) => s.Action.includes('bedrock:InvokeModel'))!.Resource).toEqual(expect.arrayContaining([
        `arn:aws:bedrock:us-east-1:${PLAN_ACCOUNT_ID}:inference-profile/global.anthropic.claude-sonnet-4-6`,
        'arn:aws:bedrock:::foundation-model/anthropic.claude-sonnet-4-6',
      ]));
    }
  });
});

describe('inference-profile geography against the stack region', () => {
  it.each([
    ['us.anthropic.claude-sonnet-4-6', 'us-west-2'], ['eu.anthropic.claude-sonnet-4-6', 'eu-central-1'],
    ['global.anthropic.claude-sonnet-4-6', 'ap-southeast-2'], ['jp.anthropic.claude-sonnet-4-6', 'ap-northeast-1'],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 'eu-west-1'],
  ])('%s may be called from %s', (model, region) => expect(() => checkModelRegion(model, region)).not.toThrow());

  it('refuses a US profile in an EU region, naming both and the ids that work there', () => {
    expect(() => checkModelRegion('us.anthropic.claude-sonnet-4-6', 'eu-west-1')).toThrow(
      /RV_INFRA_PROFILE: model 'us.anthropic.claude-sonnet-4-6' is a 'us' inference profile.*not from the stack's region eu-west-1; use 'eu.anthropic.claude-sonnet-4-6' or 'global.anthropic.claude-sonnet-4-6'/u);
    expect(() => checkModelRegion('global.anthropic.claude-sonnet-4-6', 'us-gov-west-1')).toThrow(/commercial regions/u);
  });

  it('fails the plan, not the first request', async () => {
    await expect(Plan.of(fixtureManifest(), { engine: 'converse', region: 'eu-west-1' })).rejects.toThrow(/RV_INFRA_PROFILE.*eu-west-1/u);
  });
});

describe('AWS name and size limits at plan time', () => {
  it('the shipped specs and the fixture pass every limit', async () => {
    const plan = await Plan.of(fixtureManifest(), { engine: 'bedrock-agents' });
    expect(plan.resources.length).toBeGreaterThan(0);
    expect(resourceLimitProblems(plan.resources)).toEqual([]);
    const { io } = capture();
    expect(await command.run(['--json'], io)).toBe(0);
  });

  it('names a Lambda function name over 64 characters and a generated role name over 64', async () => {
    const manifest = fixtureManifest();
    const long = 'pipeline-and-forecast-channel-for-the-emea-team';
    manifest.channels[0]!.name = long;
    const plan = await Plan.of(manifest, { stack: 'production-emea', engine: 'bedrock-agents' });
    const problems = resourceLimitProblems(plan.resources);
    const fn = problems.find((p) => p.field === 'name' && p.resource === `channel-${long}-processor-function`)!;
    expect(fn).toMatchObject({ value: `revops-production-emea-${long}-processor`, limit: expect.stringMatching(/^at most 64 characters \(it has \d+\)$/u) });
    expect(problems.some((p) => p.resource === `channel-${long}-processor-role` && /Pulumi adds 8/u.test(p.limit))).toBe(true);
  });

  it('names a fractional or too long Lambda timeout', () => {
    const problems = resourceLimitProblems([
      { type: T.fn, name: 'f1', custom: true, inputs: { name: 'f1', timeout: 40.5 }, dependsOn: [] },
      { type: T.fn, name: 'f2', custom: true, inputs: { name: 'f2', timeout: 901 }, dependsOn: [] },
    ]);
    expect(problems.map((p) => [p.resource, p.value, p.limit])).toEqual([
      ['f1', 40.5, 'whole seconds from 1 to 900'], ['f2', 901, 'whole seconds from 1 to 900'],
    ]);
  });

  it('gives the tool executor a whole-second timeout for a tool with a fractional-second budget', async () => {
    const manifest = fixtureManifest();
    manifest.tools[1]!.timeoutMs = 30_500;
    const plan = await Plan.of(manifest, { engine: 'bedrock-agents' });
    expect(input<number>(plan.get(T.fn, 'tool-executor-function'), 'timeout')).toBe(41);
  });

  it('fails revops plan on a tool budget over the action-group response cap, naming tool, value and cap', async () => {
    const manifest = fixtureManifest();
    manifest.tools[1]!.maxResultChars = 100_000;
    const run = await planDeployment(manifest, { engine: 'bedrock-agents' }, { bundleDir: repoRoot, manifestPath: 'manifest.json' });
    expect(run.problems).toEqual([expect.objectContaining({
      resource: expect.stringContaining('deal_lookup'), field: 'max_result_chars', value: 100_000,
      limit: expect.stringContaining(`at most ${ACTION_GROUP_MAX_RESULT_CHARS}`),
    })]);
    expect((await planDeployment(manifest, { engine: 'converse' }, { bundleDir: repoRoot, manifestPath: 'manifest.json' })).problems).toEqual([]);
  });
});

describe('removing a tool or collaborator', () => {
  it('plan --against OLD names the agents whose new version still carries it and the commands to run after pulumi up', async () => {
    const current = JSON.parse(await readFile(await ensureManifest(repoRoot), 'utf8')) as Manifest;
    const old = structuredClone(current);
    const withTools = old.agents.find((a) => a.actionGroups.length > 0 && a.role === 'collaborator')!;
    withTools.actionGroups.push({ name: 'retired_group', description: 'Removed since', tools: [withTools.actionGroups[0]!.tools[0]!] });
    const supervisor = old.agents.find((a) => a.role === 'supervisor')!;
    supervisor.collaborators.push({ agent: 'retired_agent', instruction: 'gone', relayConversationHistory: 'DISABLED' });
    const dir = await mkdtemp(join(tmpdir(), 'revops-plan-'));
    await writeFile(join(dir, 'old.json'), JSON.stringify(old));

    const json = capture();
    expect(await command.run(['--json', '--engine', 'bedrock-agents', '--against', join(dir, 'old.json')], json.io)).toBe(0);
    const { diff } = JSON.parse(json.out.join('')) as { diff: { staleAfterUp: unknown[] } };
    expect(diff.staleAfterUp).toEqual(expect.arrayContaining([
      { agent: withTools.name, actionGroups: ['retired_group'], collaborators: [], knowledgeBase: false },
      { agent: supervisor.name, actionGroups: [], collaborators: ['retired_agent'], knowledgeBase: false },
    ]));
    const text = capture();
    expect(await command.run(['--engine', 'bedrock-agents', '--against', join(dir, 'old.json')], text.io)).toBe(0);
    const printed = text.out.join('\n');
    expect(printed).toContain(`${withTools.name}: action group retired_group; then run:`);
    expect(printed).toContain('aws bedrock-agent prepare-agent --agent-id "$AGENT_ID"');
    expect(printed).toContain(`.["${supervisor.name}"].aliasId`);
  });
});
