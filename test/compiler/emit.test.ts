/** What compile emits: a resolved manifest, and Bedrock requests that satisfy every limit in DESIGN.md. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BedrockAgentRequests, compileProject } from '../../compiler/index.ts';
import { VALID } from './helpers.ts';

const REPO = join(VALID, '..', '..', '..');
const NAME = /^([0-9a-zA-Z][_-]?){1,100}$/;
const within = (text: string | undefined, min: number, max: number) => {
  expect(text).toBeDefined();
  expect(text!.length).toBeGreaterThanOrEqual(min);
  expect(text!.length).toBeLessThanOrEqual(max);
};

function assertLimits(r: BedrockAgentRequests): void {
  const a = r.createAgent;
  expect(a.agentName).toMatch(NAME);
  within(a.instruction, 40, 20_000);
  within(a.description, 1, 200);
  expect(a.idleSessionTTLInSeconds).toBeGreaterThanOrEqual(60);
  expect(a.idleSessionTTLInSeconds).toBeLessThanOrEqual(3600);
  expect(['SUPERVISOR', 'SUPERVISOR_ROUTER', 'DISABLED']).toContain(a.agentCollaboration);
  for (const group of r.actionGroups) {
    expect(group.actionGroupName).toMatch(NAME);
    within(group.description, 1, 200);
    const functions = group.functionSchema && 'functions' in group.functionSchema ? group.functionSchema.functions ?? [] : [];
    expect(functions.length).toBeGreaterThan(0);
    for (const fn of functions) {
      expect(fn.name).toMatch(NAME);
      within(fn.description, 1, 1200);
      for (const [name, p] of Object.entries(fn.parameters ?? {})) {
        expect(name).toMatch(NAME);
        within(p.description, 1, 500);
        expect(['string', 'number', 'integer', 'boolean', 'array']).toContain(p.type);
      }
    }
  }
  expect(r.collaborators.length).toBeLessThanOrEqual(10);
  for (const c of r.collaborators) {
    expect(c.collaboratorName).toMatch(NAME);
    within(c.collaborationInstruction, 1, 4000);
    expect(['TO_COLLABORATOR', 'DISABLED']).toContain(c.relayConversationHistory);
    expect(c.agentDescriptor?.aliasArn).not.toContain('TSTALIASID');
  }
  for (const kb of r.knowledgeBases) within(kb.description, 1, 200);
  expect(r.alias.agentAliasName).toMatch(NAME);
  within(r.alias.description, 1, 200);
  expect(r.alias).not.toHaveProperty('routingConfiguration');
}

const trees = [['the valid fixture tree', VALID], ...(existsSync(join(REPO, 'specs/agents')) ? [['the shipped specs', REPO]] : [])];

describe.each(trees)('Bedrock requests of %s', (_, root) => {
  it('satisfy every Bedrock limit', async () => {
    const { bedrock, manifest } = await compileProject(root!);
    expect(Object.keys(bedrock!).sort()).toEqual(manifest!.agents.map((a) => a.name));
    for (const requests of Object.values(bedrock!)) assertLimits(requests);
  });
});

describe('the side-effect policy of the shipped tools', () => {
  it('derives each effect from the kind, requires approval for write and notify, and asks Bedrock for confirmation there', async () => {
    const { manifest, bedrock } = await compileProject(REPO);
    const policy = Object.fromEntries(manifest!.tools.map((t) => [t.name, `${t.kind}:${t.effect}:${t.approval}`]));
    expect(Object.entries(policy).filter(([, p]) => !p.endsWith(':read:none'))).toEqual([
      ['firebolt_writer', 'sql_write:write:required'], ['webhook_executor', 'webhook:notify:required'],
    ]);
    const confirmation = Object.values(bedrock!).flatMap((r) => r.actionGroups.flatMap((g) =>
      (g.functionSchema && 'functions' in g.functionSchema ? g.functionSchema.functions ?? [] : []).map((f) => [f.name, f.requireConfirmation])));
    for (const [name, state] of confirmation) expect(state, name).toBe(policy[name!]!.endsWith(':required') ? 'ENABLED' : 'DISABLED');
    expect(confirmation.filter(([, state]) => state === 'ENABLED').map(([name]) => name).sort()).toEqual(['firebolt_writer', 'webhook_executor']);
  });
});

describe('the manifest', () => {
  it('applies defaults, builds action groups from tool groups and attaches routing examples', async () => {
    const { manifest } = await compileProject(VALID);
    const deal = manifest!.agents.find((a) => a.name === 'deal_analysis')!;
    expect(deal.actionGroups).toEqual([
      { name: 'calls', description: 'calls tools: deal_calls', tools: ['deal_calls'] },
      { name: 'warehouse', description: 'warehouse tools: deal_lookup', tools: ['deal_lookup'] },
    ]);
    expect(deal.idleSessionTtlSeconds).toBe(600);
    expect(deal.collaboration).toBe('DISABLED');
    expect(deal.routingExamples).toHaveLength(8);
    const manager = manifest!.agents.find((a) => a.name === 'manager')!;
    expect(manager.collaborators.map((c) => [c.agent, c.relayConversationHistory])).toEqual([
      ['deal_analysis', 'TO_COLLABORATOR'], ['data', 'DISABLED']]);
    const lookup = manifest!.tools.find((t) => t.name === 'deal_lookup')!;
    expect([lookup.maxRows, lookup.timeoutMs, lookup.maxResultChars, lookup.retries, lookup.group]).toEqual([200, 30_000, 20_000, 0, 'warehouse']);
    expect(manifest!.channels.find((c) => c.name === 'slack')?.queue.retentionSeconds).toBe(14 * 86_400);
  });

  it('compiles the supervisor instruction from collaborators, examples, and each agent from its answer formats', async () => {
    const { manifest } = await compileProject(VALID);
    const manager = manifest!.agents.find((a) => a.name === 'manager')!;
    expect(manager.compiledInstruction.startsWith(manager.instruction.trim())).toBe(true);
    expect(manager.compiledInstruction).toContain('MEDDPICC analysis, deal status and risks of one opportunity');
    expect(manager.compiledInstruction).toContain('ONLY for deal status, MEDDPICC analysis and opportunity assessment.');
    expect(manager.compiledInstruction).toContain('- "What is the status of the IXIS deal?"');
    const deal = manifest!.agents.find((a) => a.name === 'deal_analysis')!;
    expect(deal.compiledInstruction).toContain('**Deal Status: {{ deal_lookup.rows[0].opportunity_name }}**');
  });
});
