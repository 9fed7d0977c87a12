import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestAgent, ManifestTool } from '../../../compiler/manifest.ts';
import { parameterSchema, toolNameFor, toolSetFor } from '../../../runtime/engines/converse/toolSpecs.ts';

const CONVERSE_NAME = /^[a-zA-Z0-9_-]{1,64}$/u;

describe('Converse tool names', () => {
  it.each(['a', 'deal_lookup', 'x'.repeat(64)])('keeps %s', (name) => expect(toolNameFor(name, new Set())).toBe(name));

  it('shortens names over 64 characters to a legal, stable, distinct form', () => {
    const a = toolNameFor(`${'x'.repeat(64)}a`, new Set());
    const b = toolNameFor(`${'x'.repeat(64)}b`, new Set());
    expect(a).toMatch(CONVERSE_NAME);
    expect(a).not.toBe(b);
    expect(toolNameFor(`${'x'.repeat(64)}a`, new Set())).toBe(a);
  });

  it('renames a name already taken', () => {
    const renamed = toolNameFor('web_search', new Set(['web_search']));
    expect(renamed).toMatch(CONVERSE_NAME);
    expect(renamed).not.toBe('web_search');
  });
});

describe('parameter schemas', () => {
  it('carries type, description, enum, default and the required list', () => {
    expect(parameterSchema([
      { name: 'stage', type: 'string', required: true, description: 'Stage name', enum: ['Negotiate', 'Propose'] },
      { name: 'limit', type: 'integer', required: false, description: 'Rows', default: 10 },
      { name: 'ids', type: 'array', required: false, description: 'Ids' },
    ])).toEqual({
      type: 'object', required: ['stage'],
      properties: {
        stage: { type: 'string', description: 'Stage name', enum: ['Negotiate', 'Propose'] },
        limit: { type: 'integer', description: 'Rows', default: 10 },
        ids: { type: 'array', description: 'Ids', items: { type: 'string' } },
      },
    });
  });
});

describe('tool sets', () => {
  const base = { instruction: 'i', compiledInstruction: 'i', idleSessionTtlSeconds: 600, actionGroups: [], skills: [], routingExamples: [], source: 's' };
  const agent = (over: Partial<ManifestAgent> & { name: string }): ManifestAgent =>
    ({ ...base, role: 'collaborator', description: `${over.name} agent`, collaboration: 'DISABLED', collaborators: [], tools: [], ...over });
  const tool: ManifestTool = { name: 'web_search', kind: 'web_search', description: 'Search the web', task: 'search the web', group: 'web', effect: 'read', approval: 'none', parameters: [], provider: { name: 'tavily', url: 'https://api.tavily.com/search', apiKeyEnv: 'TAVILY_API_KEY' }, maxRows: 10, timeoutMs: 1000, maxResultChars: 1000, retries: 0, source: 's' };
  const boss = agent({
    name: 'boss', role: 'supervisor', collaboration: 'SUPERVISOR', tools: ['web_search'],
    collaborators: [{ agent: 'web_search', instruction: 'For anything outside our systems', relayConversationHistory: 'DISABLED' }],
  });
  const manifest = { agents: [boss, agent({ name: 'web_search' })], tools: [tool] } as unknown as Manifest;

  it('offers collaborators under their own names and renames an own tool that collides', () => {
    const set = toolSetFor(boss, manifest);
    const names = set.specs.map((s) => s.toolSpec!.name!);
    expect(names[0]).toBe('web_search');
    expect(set.byName.get('web_search')).toMatchObject({ kind: 'collaborator' });
    expect(set.byName.get(names[1]!)).toMatchObject({ kind: 'tool', tool: { name: 'web_search' } });
    expect(set.specs[0]!.toolSpec!.description).toBe('web_search agent\n\nWhen to use: For anything outside our systems');
  });

  it('offers nothing to an agent without tools or collaborators', () => {
    expect(toolSetFor(agent({ name: 'lonely' }), manifest).specs).toEqual([]);
  });
});
