/**
 * Editor help across files, through the real yaml-language-server: a spec's `$schema` line leads it to
 * compiler/schemas, whose lists of the project's names complete a tool in `tools:` and underline a misspelt one;
 * `revops compile` rewrites those lists when the project's names change.
 */
import { cp, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { afterAll, describe, expect, it } from 'vitest';
import { getLanguageService } from 'yaml-language-server';
import type { CommandIO } from '../../compiler/cli/command.ts';
import { command as compile } from '../../compiler/cli/compile.ts';
import { publishedSchemas, SCHEMAS_DIR } from '../../compiler/schemas/publish.ts';
import { removeProject, tempProject, writeSpec } from './helpers.ts';

const ROOT = join(SCHEMAS_DIR, '..', '..');
const roots: string[] = [];
afterAll(() => Promise.all(roots.map(removeProject)));

function languageService() {
  const service = getLanguageService({
    schemaRequestService: (uri) => readFile(fileURLToPath(uri), 'utf8'),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).href },
  });
  service.configure({ validate: true, completion: true });
  return service;
}

// The server caches parsed documents by URI and version, as an editor's versions would tell them apart.
let version = 0;
const document = (root: string, path: string, text: string) => TextDocument.create(pathToFileURL(join(root, path)).href, 'yaml', ++version, text);

describe('the editor schemas', () => {
  const path = 'specs/agents/web_search.yaml';

  it('underline a misspelt tool in tools: where it is, and nothing in the shipped file', async () => {
    const text = await readFile(join(ROOT, path), 'utf8');
    expect(await languageService().doValidation(document(ROOT, path, text), false)).toEqual([]);
    const typo = text.replace('tools: [company_research,', 'tools: [company_reserch,');
    const found = await languageService().doValidation(document(ROOT, path, typo), false);
    const at = typo.indexOf('company_reserch');
    expect(found.map((d) => d.range.start)).toEqual([TextDocument.create('file:///x', 'yaml', 0, typo).positionAt(at)]);
  });

  it('offer the project\'s tools as completions in tools:', async () => {
    const text = await readFile(join(ROOT, path), 'utf8');
    const doc = document(ROOT, path, text);
    const { items } = await languageService().doComplete(doc, doc.positionAt(text.indexOf('tools: [') + 'tools: ['.length), false);
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['deal_lookup', 'pipeline_by_stage', 'web_search']));
  });

  describe('in a step of a metrics tool', () => {
    const data = 'specs/agents/data.yaml';
    const step = 'measure: pipeline\n          period:';

    it('underline a misspelt measure or dimension where it is, and nothing in the shipped file', async () => {
      const text = await readFile(join(ROOT, data), 'utf8');
      expect(text).toContain(step);
      expect(await languageService().doValidation(document(ROOT, data, text), false)).toEqual([]);
      for (const [from, to] of [['measure: pipeline\n', 'measure: pipelin\n'], ['group_by: ""', 'group_by: "segment, quartr"']] as const) {
        const changed = text.replace(from, to);
        const found = await languageService().doValidation(document(ROOT, data, changed), false);
        const at = changed.indexOf(to) + to.indexOf(' ') + 1;
        expect(found.map((d) => d.range.start), to).toEqual([TextDocument.create('file:///x', 'yaml', 0, changed).positionAt(at)]);
      }
      // A measure's own dimensions only: seats are not grouped by stage, nor any measure by a number dimension.
      for (const wrong of ['measure: seat_utilization\n          group_by: stage', 'measure: pipeline\n          group_by: amount']) {
        const changed = text.replace('measure: pipeline\n', `${wrong}\n`).replace('group_by: ""', '');
        expect(await languageService().doValidation(document(ROOT, data, changed), false), wrong).toHaveLength(1);
      }
    });

    it('offer the measures and the measure\'s dimensions and grains as completions', async () => {
      const text = (await readFile(join(ROOT, data), 'utf8')).replace('measure: pipeline\n', 'measure: \n');
      const doc = document(ROOT, data, text);
      const measures = await languageService().doComplete(doc, doc.positionAt(text.indexOf('measure: \n') + 'measure: '.length), false);
      expect(measures.items.map((i) => i.label)).toEqual(expect.arrayContaining(['pipeline', 'weighted_pipeline', 'closed_won', 'seat_utilization']));
      const grouped = (await readFile(join(ROOT, data), 'utf8')).replace('group_by: ""', 'group_by: ');
      const doc2 = document(ROOT, data, grouped);
      const dims = await languageService().doComplete(doc2, doc2.positionAt(grouped.indexOf('group_by: ') + 'group_by: '.length), false);
      expect(dims.items.map((i) => i.label)).toEqual(expect.arrayContaining(['region', 'forecast_category', 'owner', 'quarter', 'fiscal_year']));
      expect(dims.items.map((i) => i.label)).not.toContain('amount');
    });
  });

  it('are rewritten by revops compile when a tool is added', async () => {
    const root = await tempProject();
    roots.push(root);
    await mkdir(join(root, 'compiler', 'schemas'), { recursive: true });
    await cp(SCHEMAS_DIR, join(root, 'compiler', 'schemas'), { recursive: true, filter: (p) => !p.endsWith('.ts') });
    await writeSpec(root, 'specs/tools/stage_count.yaml', [
      '# yaml-language-server: $schema=../../compiler/schemas/tool.schema.json',
      'name: stage_count', 'kind: sql', 'description: Deals per stage',
      'sql: SELECT stage_name, COUNT(*) AS n FROM opportunities GROUP BY stage_name', '',
    ].join('\n'));
    const err: string[] = [];
    const io: CommandIO = { stdout: () => undefined, stderr: (t) => err.push(t), isTTY: false, env: {}, cwd: root };
    await compile.run(['--out', 'build'], io);
    expect(err.join('\n')).toMatch(/updated the editor schemas: .*compiler\/schemas\/agent\.schema\.json/);
    const agent = JSON.parse(await readFile(join(root, 'compiler', 'schemas', 'agent.schema.json'), 'utf8'));
    expect(agent.properties.tools.items.enum).toEqual(['deal_calls', 'deal_lookup', 'firebolt_sql_query', 'stage_count']);
    expect(agent.properties.tools.items.enum).not.toEqual(JSON.parse(publishedSchemas()['agent.schema.json']!).properties.tools.items.enum);
  });
});
