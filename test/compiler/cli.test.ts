/** `revops validate / compile / graph` through the real dispatcher, with an in-memory io. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../compiler/cli/command.ts';
import { main } from '../../infra/cli/revops.ts';
import { readSpec, removeProject, tempProject, writeSpec } from './helpers.ts';

const roots: string[] = [];
afterAll(async () => Promise.all(roots.map(removeProject)));

async function run(argv: string[], options: { isTTY?: boolean; edit?: (root: string) => Promise<void> } = {}) {
  const root = await tempProject();
  roots.push(root);
  await options.edit?.(root);
  const out: string[] = [];
  const err: string[] = [];
  const io: CommandIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: options.isTTY ?? false, env: {}, cwd: root };
  const code = await main(argv, io);
  return { code, stdout: out.join('\n'), stderr: err.join('\n'), root };
}

const misspellTool = async (root: string) => {
  const path = 'specs/agents/data.yaml';
  await writeSpec(root, path, (await readSpec(root, path)).replace('[firebolt_sql_query]', '[firebolt_sql_qery]'));
};
const addUnusedTool = (root: string) =>
  writeSpec(root, 'specs/tools/spare.yaml', '# yaml-language-server: $schema=../../compiler/schemas/tool.schema.json\nname: spare\nkind: sql_query\ndescription: Not used\n');

describe('revops validate', () => {
  it('exits 0 with a summary on a valid tree', async () => {
    const { code, stderr } = await run(['validate']);
    expect(code).toBe(0);
    expect(stderr).toBe('0 errors, 0 warnings in 10 files');
  });

  it('exits 1 and prints one line per problem plus the summary', async () => {
    const { code, stderr } = await run(['validate'], { edit: misspellTool });
    expect(code).toBe(1);
    expect(stderr.split('\n')).toEqual([
      "specs/agents/data.yaml:6:9: error RV3001: unknown tool 'firebolt_sql_qery' (did you mean 'firebolt_sql_query'?)",
      "specs/tools/firebolt_sql_query.yaml:2:7: warning RV6003: tool 'firebolt_sql_query' is used by no agent",
      '1 error, 1 warning in 10 files',
    ]);
  });

  it('draws a code frame with squiggles under the node on a terminal', async () => {
    const { stderr } = await run(['validate'], { edit: misspellTool, isTTY: true });
    expect(stderr).toContain('6 | tools: [firebolt_sql_qery]\n  |         ~~~~~~~~~~~~~~~~~');
  });

  it('exits 0 on warnings, and 1 with --strict', async () => {
    expect((await run(['validate'], { edit: addUnusedTool })).code).toBe(0);
    const strict = await run(['validate', '--strict'], { edit: addUnusedTool });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain('error RV6003');
  });

  it('prints JSON with --format json', async () => {
    const { code, stdout } = await run(['validate', '--format', 'json'], { edit: misspellTool });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.errors).toBe(1);
    expect(report.diagnostics[0]).toMatchObject({ code: 'RV3001', file: 'specs/agents/data.yaml', line: 6, column: 9 });
  });

  it('exits 2 on a usage error', async () => {
    expect((await run(['validate', '--format', 'xml'])).code).toBe(2);
    expect((await run(['validate', '--bogus'])).code).toBe(2);
  });
});

describe('revops compile', () => {
  it('writes the manifest and one Bedrock file per agent into --out', async () => {
    const { code, root } = await run(['compile', '--out', 'dist']);
    expect(code).toBe(0);
    const manifest = JSON.parse(await readFile(join(root, 'dist/manifest.json'), 'utf8'));
    expect(manifest.version).toBe(1);
    const manager = JSON.parse(await readFile(join(root, 'dist/bedrock/manager.json'), 'utf8'));
    expect(manager.alias.description).toBe(`manifest ${manifest.hash}`);
  });

  it('writes nothing on errors', async () => {
    const { code, root } = await run(['compile'], { edit: misspellTool });
    expect(code).toBe(1);
    await expect(readFile(join(root, 'build/manifest.json'))).rejects.toThrow();
  });
});

describe('revops graph', () => {
  it('prints Mermaid by default: channel -> supervisor -> collaborators -> tools', async () => {
    const { code, stdout } = await run(['graph']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    for (const edge of ['channel_slack --> agent_manager', 'agent_manager --> agent_deal_analysis', 'agent_deal_analysis --> tool_deal_lookup']) {
      expect(lines).toContain(`  ${edge}`);
    }
  });

  it('prints Graphviz with --format dot, and refuses other formats', async () => {
    const { stdout } = await run(['graph', '--format', 'dot']);
    expect(stdout).toMatch(/^digraph revops \{/);
    expect(stdout).toContain('"agent_manager" -> "agent_data";');
    expect((await run(['graph', '--format', 'png'])).code).toBe(2);
  });
});
