/**
 * `revops tool <name> --param key=value … [--json]`: runs one tool the way an agent would (same toolbox, same
 * parameter conversion and guards) so an analyst can try a tool's SQL before an agent uses it, e.g.
 * `npm run revops -- tool deal_lookup --param deal_name=IXIS`. Rows print as an aligned table (cells cut at
 * 60 characters; `--json` prints the whole result). A refused or failed call prints its code and reason and exits 1.
 *
 * Warehouse: the embedded sample (seeded on first use) unless REVOPS_WAREHOUSE or REVOPS_WAREHOUSE_PATH configures
 * one, which is then opened through `openWarehouse` (read-only for DuckDB files; Firebolt with its credentials).
 */
import { parseArgs } from 'node:util';
import { createToolbox } from '../tools/createToolbox.ts';
import type { Toolbox, ToolResult } from '../tools/toolbox.ts';
import { openWarehouse } from '../warehouse/openWarehouse.ts';
import type { Row } from '../warehouse/warehouse.ts';
import { type Command, type CommandIO, UsageError } from '../../compiler/cli/command.ts';
import { loadProject, type Project } from './loadProject.ts';

const MAX_CELL = 60;

export const command: Command = {
  summary: 'Run one tool against the configured warehouse and print its rows (or --json).',
  usage: 'revops tool <name> [--param key=value ...] [--json]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { param: { type: 'string', multiple: true, short: 'p' }, json: { type: 'boolean' } },
    });
    const [name, ...extra] = positionals;
    if (!name) throw new UsageError('a tool name is required (e.g. revops tool deal_lookup --param deal_name=IXIS)');
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'; pass parameters as --param key=value`);
    const params = parseParams(values.param ?? []);

    const project = await loadProject(io.cwd, io.env, io);
    let toolbox: Toolbox = project.toolbox;
    let close = () => project.close();
    try {
      if (io.env.REVOPS_WAREHOUSE?.trim() || io.env.REVOPS_WAREHOUSE_PATH?.trim()) ({ toolbox, close } = await configuredToolbox(project, io));
      const result = await toolbox.run(name, params);
      if (values.json) io.stdout(JSON.stringify(result, null, 2));
      else if (result.ok) io.stdout(renderForTerminal(result));
      if (result.ok) return 0;
      io.stderr(`revops tool: ${name} ${result.error!.code}: ${result.error!.message}`);
      return result.error!.code === 'unknown_tool' ? 2 : 1;
    } catch (error) {
      io.stderr(`revops tool: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    } finally {
      await close();
    }
  },
};

async function configuredToolbox(project: Project, io: CommandIO): Promise<{ toolbox: Toolbox; close: () => Promise<void> }> {
  await project.close();
  const warehouse = await openWarehouse(io.env, io.cwd);
  const toolbox = createToolbox(project.manifest.tools, { warehouse, env: io.env, now: project.now, knowledge: project.manifest.knowledge });
  return { toolbox, close: () => warehouse.close() };
}

function parseParams(pairs: string[]): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--param '${pair}': expected key=value`);
    const key = pair.slice(0, at);
    if (Object.hasOwn(params, key)) throw new UsageError(`--param ${key} is given twice`);
    params[key] = pair.slice(at + 1);
  }
  return params;
}

function renderForTerminal(result: ToolResult): string {
  const { rowCount, totalRows, truncated, durationMs, uncounted } = result.stats;
  const more = uncounted ? ` (more match; counting them failed: ${uncounted})` : ' (more match)';
  const of = totalRows !== undefined && totalRows !== rowCount ? ` of ${totalRows} matching` : truncated ? more : '';
  const totals = Object.entries(result.totals ?? {}).map(([name, value]) => `${name} ${value}`).join(', ');
  const footer = `${rowCount}${of} row${rowCount === 1 && !of ? '' : 's'}${totals ? `; over all matching: ${totals}` : ''} in ${Math.round(durationMs)} ms`;
  if (result.text) return result.text;
  if (!result.columns || !result.rows) return footer;
  return `${renderTable(result.columns.map((c) => c.name), result.rows)}\n${footer}`;
}

/** Columns padded to their widest cell; numbers right-aligned. */
export function renderTable(columns: string[], rows: Row[]): string {
  const cells = rows.map((row) => columns.map((c) => cell(row[c] ?? null)));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.text.length)));
  const line = (texts: Array<{ text: string; right: boolean }>) =>
    texts.map((t, i) => (t.right ? t.text.padStart(widths[i]!) : t.text.padEnd(widths[i]!))).join('  ').trimEnd();
  return [
    line(columns.map((text) => ({ text, right: false }))),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...cells.map(line),
  ].join('\n');
}

function cell(value: Row[string]): { text: string; right: boolean } {
  const text = value === null ? '' : String(value).replace(/\s+/g, ' ');
  return { text: text.length > MAX_CELL ? `${text.slice(0, MAX_CELL - 1)}…` : text, right: typeof value === 'number' };
}
