/**
 * One mistake, its own diagnostics and nothing else: a spec that is broken still lends what it declares (its name,
 * from the file name when it has no usable one; the tools it lists), so the files that refer to it are not reported
 * on top of it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileVariant, VALID } from './helpers.ts';

const codes = async (...args: Parameters<typeof compileVariant>) => (await compileVariant(...args)).diagnostics.map((d) => `${d.file} ${d.code}`);

describe('a spec without a usable name', () => {
  it.each([
    ['a misspelt name key', 'nme: deal_analysis', ['RV2001', 'RV2002']],
    ['a name that is not a string', 'name: 123', ['RV2003']],
  ])('%s is reported in its own file only, and the agents that name it are not', async (_, line, expected) => {
    const found = await codes({ 'specs/agents/deal_analysis.yaml': [['name: deal_analysis', line]] });
    expect(found.sort()).toEqual(expected.map((code) => `specs/agents/deal_analysis.yaml ${code}`).sort());
  });

  it('counts a tool without a name as declared under its file name', async () => {
    const found = await codes({ 'specs/tools/deal_lookup.yaml': [['name: deal_lookup', 'nme: deal_lookup']] });
    expect(found.every((f) => f.startsWith('specs/tools/deal_lookup.yaml '))).toBe(true);
    expect(found).not.toContain('specs/agents/deal_analysis.yaml RV3001');
  });
});

describe('usage warnings while an agent is broken', () => {
  it.each([
    ['a YAML syntax error', [/^tools: .*$/m, 'tools: [deal_lookup\n  broken: ]']],
    ['tools given as a string', [/^tools: .*$/m, 'tools: firebolt_sql_query']],
  ] satisfies [string, [RegExp, string]][])('reports no tool as unused when an agent has %s', async (_, edit) => {
    const found = await codes({ 'specs/agents/data.yaml': [edit] });
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((f) => f.endsWith(' RV6003'))).toEqual([]);
  });

  it('still reports a tool no agent lists when every agent can be read', async () => {
    const calls = await readFile(join(VALID, 'specs/tools/deal_calls.yaml'), 'utf8');
    const found = await codes({}, { 'specs/tools/orphan.yaml': calls.replace('name: deal_calls', 'name: orphan') });
    expect(found).toContain('specs/tools/orphan.yaml RV6003');
  });
});
