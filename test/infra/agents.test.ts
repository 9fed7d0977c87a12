import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../compiler/manifest.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { usesKnowledgeBase } from '../../infra/knowledgeDocuments.ts';
import { PLAN_ACCOUNT_ID } from '../../infra/plan/planDeployment.ts';
import { mockOutputs } from '../../infra/plan/mockOutputs.ts';
import type { PlannedResource } from '../../infra/plan/runUnderMocks.ts';
import { Plan, T, input, shippedManifest } from './planHelpers.ts';

/** The id the mocks give an agent resource (what its alias and permissions must point at). */
const mockAgentId = (agent: PlannedResource) =>
  mockOutputs(agent.type, agent.name, agent.inputs, { region: 'us-east-1', accountId: PLAN_ACCOUNT_ID }).agentId;

const suites: Array<[string, () => Promise<Manifest>]> = [['shipped specs', shippedManifest], ['fixture', async () => fixtureManifest()]];

describe.each(suites)('Bedrock agents for the %s', (_label, load) => {
  let manifest: Manifest;
  let plan: Plan;
  beforeAll(async () => {
    manifest = await load();
    plan = await Plan.of(manifest, { engine: 'bedrock-agents', knowledgeBaseId: 'KBTEST1234' });
  });
  const supervisors = () => manifest.agents.filter((a) => a.role === 'supervisor');

  it('creates exactly one agent per spec agent, named after it', () => {
    const names = plan.all(T.agent).map((r) => input(r, 'agentName')).sort();
    expect(names).toEqual(manifest.agents.map((a) => `revops-plan-${a.name}`).sort());
    for (const agent of manifest.agents) {
      const r = plan.get(T.agent, `agents-${agent.name}-agent`);
      expect(input(r, 'instruction')).toBe(agent.compiledInstruction);
      expect(input<number>(r, 'idleSessionTtlInSeconds')).toBe(agent.idleSessionTtlSeconds);
    }
  });

  it('references every collaborator by its alias ARN, never TSTALIASID', () => {
    const collaborators = plan.all(T.collaborator);
    expect(collaborators.length).toBe(supervisors().reduce((n, s) => n + s.collaborators.length, 0));
    for (const c of collaborators) {
      const aliasArn = input<{ aliasArn: string }>(c, 'agentDescriptor').aliasArn;
      expect(aliasArn).not.toContain('TSTALIASID');
      const alias = plan.get(T.alias, `agents-${input(c, 'collaboratorName')}-alias`);
      const agent = plan.get(T.agent, `agents-${input(c, 'collaboratorName')}-agent`);
      expect(aliasArn).toMatch(new RegExp(`:agent-alias/${input(alias, 'agentId')}/[A-Z0-9]{10}$`));
      expect(aliasArn).toContain(`:agent-alias/${input(alias, 'agentId')}/`);
      expect(input(alias, 'agentId')).toBe(mockAgentId(agent));
    }
  });

  it('associates collaborators one after another and prepares the supervisor after the last one', () => {
    for (const supervisor of supervisors()) {
      const agent = plan.get(T.agent, `agents-${supervisor.name}-agent`);
      expect(input<boolean>(agent, 'prepareAgent')).toBe(false);
      const chain = supervisor.collaborators.map((c) => plan.get(T.collaborator, `agents-${supervisor.name}-collaborator-${c.agent}`));
      chain.slice(1).forEach((c, i) => expect(c.dependsOn).toContain(chain[i]!.name));
      expect(chain.map((c) => input<boolean>(c, 'prepareAgent'))).toEqual(chain.map((_, i) => i === chain.length - 1));
      const last = chain[chain.length - 1]!;
      const alias = plan.get(T.alias, `agents-${supervisor.name}-alias`);
      // A change to the supervisor itself re-runs the final attachment, which prepares it again.
      const final = [...plan.all(T.collaborator), ...plan.all(T.knowledgeBase)].filter((r) => alias.dependsOn.includes(r.name));
      expect(final).toHaveLength(1);
      expect(final[0]!.replacementTrigger).toMatch(/^[0-9a-f]{64}$/);
      expect(plan.dependsOnTransitively(alias, last.name)).toBe(true);
      expect(alias.inputs.routingConfigurations).toBeUndefined();
    }
  });

  it('serializes every attachment of an agent and puts its definition hash in the alias description', () => {
    for (const agent of manifest.agents) {
      const groups = agent.actionGroups.map((g) => plan.get(T.actionGroup, `agents-${agent.name}-group-${g.name}`));
      groups.slice(1).forEach((g, i) => expect(g.dependsOn).toContain(groups[i]!.name));
      const alias = plan.get(T.alias, `agents-${agent.name}-alias`);
      expect(input(alias, 'description')).toMatch(/^revops definition [0-9a-f]{16}$/);
      for (const g of groups) expect(plan.dependsOnTransitively(alias, g.name)).toBe(true);
    }
  });

  it('gives each action group its function schema and the tool executor, invokable only by that agent', () => {
    const executor = plan.get(T.fn, 'tool-executor-function');
    const tools = new Map(manifest.tools.map((t) => [t.name, t]));
    for (const agent of manifest.agents.filter((a) => a.actionGroups.length)) {
      const permission = plan.get(T.permission, `agents-${agent.name}-invoke-tools`);
      expect(input(permission, 'principal')).toBe('bedrock.amazonaws.com');
      const agentResource = plan.get(T.agent, `agents-${agent.name}-agent`);
      expect(input(permission, 'sourceArn')).toBe(`arn:aws:bedrock:us-east-1:${PLAN_ACCOUNT_ID}:agent/${mockAgentId(agentResource)}`);
      for (const group of agent.actionGroups) {
        const r = plan.get(T.actionGroup, `agents-${agent.name}-group-${group.name}`);
        expect(input<{ lambda: string }>(r, 'actionGroupExecutor').lambda).toContain(':function:revops-plan-tool-executor');
        const functions = input<{ memberFunctions: { functions: Array<{ name: string; parameters?: Array<{ mapBlockKey: string; type: string }> }> } }>(r, 'functionSchema').memberFunctions.functions;
        expect(functions.map((f) => f.name)).toEqual(group.tools);
        for (const f of functions) {
          expect((f.parameters ?? []).map((p) => [p.mapBlockKey, p.type])).toEqual(tools.get(f.name)!.parameters.map((p) => [p.name, p.type]));
        }
      }
    }
    expect(executor).toBeDefined();
  });

  it('associates the knowledge base only with agents that use it, and only when there is one', async () => {
    const wanting = manifest.agents.filter((a) => usesKnowledgeBase(manifest, a)).map((a) => `agents-${a.name}-knowledge-base`).sort();
    expect(plan.all(T.knowledgeBase).map((r) => r.name).sort()).toEqual(wanting);
    for (const r of plan.all(T.knowledgeBase)) expect(input(r, 'knowledgeBaseId')).toBe('KBTEST1234');
    // No base named and no documents to build one from.
    const withoutKb = await Plan.of({ ...manifest, knowledge: { documents: [], hash: '' } } as Manifest, { engine: 'bedrock-agents' });
    expect(withoutKb.all(T.knowledgeBase)).toEqual([]);
  });
});
