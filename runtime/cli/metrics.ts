/**
 * `revops metrics`: the measures and dimensions the metrics layer defines, with their descriptions.
 * `revops metrics query --measure pipeline --by region --period "Q1 2027" [--filter "segment = Enterprise"] …`:
 * runs one through the `metrics` tool, as an agent would (same toolbox, same checks). Periods are read like a
 * question's ("Q1 2027", "last quarter", "2027-01-01..2027-03-31").
 */
import { parseArgs } from 'node:util';
import type { Manifest, ManifestTool } from '../../compiler/manifest.ts';
import { TIME_GRAINS } from '../../compiler/manifest.ts';
import { findDatePhrases } from '../engines/offline/dates.ts';
import { metricTable, formatMeasure } from '../engines/offline/metricFormat.ts';
import { type Command, UsageError } from '../../compiler/cli/command.ts';
import { loadProject } from './loadProject.ts';

export function listMetrics(manifest: Manifest): string {
  const lines: string[] = [];
  for (const model of manifest.metrics) {
    lines.push(`${model.name} (${model.table}; time: ${model.time.description})${model.description ? ` - ${model.description}` : ''}`, '  measures:');
    for (const m of model.measures) lines.push(`    ${m.name.padEnd(20)} ${m.description} [${m.format}]`);
    lines.push('  dimensions:');
    for (const d of model.dimensions) lines.push(`    ${d.name.padEnd(20)} ${d.description}`);
    lines.push(`  time grains: ${TIME_GRAINS.join(', ')}`, '');
  }
  return lines.length ? lines.join('\n').trimEnd() : 'No metrics are defined (add specs/metrics/*.yaml).';
}

const ISO_RANGE = /^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/u;

function periodOf(flag: string, text: string | undefined, now: Date, fiscalStart: number): string | undefined {
  if (text === undefined) return undefined;
  if (ISO_RANGE.test(text.trim())) return text.trim();
  const [span] = findDatePhrases(text, now, fiscalStart);
  if (!span) throw new UsageError(`--${flag} '${text}' is not a period I can read (e.g. "Q1 2027", "last quarter", 2027-01-01..2027-03-31)`);
  return `${span.start}..${span.end}`;
}

async function query(args: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      measure: { type: 'string', short: 'm' }, by: { type: 'string', multiple: true }, filter: { type: 'string', multiple: true },
      period: { type: 'string' }, compare: { type: 'string' }, limit: { type: 'string' }, bottom: { type: 'boolean' }, json: { type: 'boolean' },
    },
  });
  if (!values.measure) throw new UsageError('--measure is required (revops metrics lists them)');
  const project = await loadProject(io.cwd, io.env, io);
  try {
    const tool: ManifestTool | undefined = project.manifest.tools.find((t) => t.kind === 'metrics');
    if (!tool) throw new UsageError('no tool of kind metrics is defined (add specs/tools/query_metrics.yaml)');
    const fiscal = project.manifest.defaults.fiscalYearStartMonth;
    const period = periodOf('period', values.period, project.now(), fiscal);
    const compare = periodOf('compare', values.compare, project.now(), fiscal);
    const params = {
      measure: values.measure,
      ...(values.by?.length ? { group_by: values.by.join(',') } : {}),
      ...(values.filter?.length ? { filters: values.filter.join(';') } : {}),
      ...(period ? { period } : {}), ...(compare ? { compare } : {}),
      ...(values.limit ? { limit: values.limit } : {}), ...(values.bottom ? { order: 'bottom' } : {}),
    };
    const result = await project.toolbox.run(tool.name, params);
    if (values.json) io.stdout(JSON.stringify(result, null, 2));
    if (!result.ok) {
      io.stderr(`revops metrics: ${result.error!.code}: ${result.error!.message}`);
      return 1;
    }
    if (values.json) return 0;
    const t = result.totals ?? {};
    const compared = t.compare_period ? ` vs ${formatMeasure(t.compare_value, t.format)} (${t.compare_period})` : '';
    io.stdout(`${t.title}: ${formatMeasure(t.value, t.format)} over ${t.records} ${t.record_noun}${compared}\n${t.query}`);
    const table = metricTable({ rows: result.rows, columns: result.columns, totals: t }, 50);
    if (table) io.stdout(`${table}\n${result.stats.rowCount} of ${result.stats.totalRows ?? result.stats.rowCount} groups`);
    return 0;
  } finally {
    await project.close();
  }
}

export const command: Command = {
  summary: 'List the metrics layer (measures, dimensions), or run one metric query.',
  usage: 'revops metrics | revops metrics query --measure <name> [--by <dimension>]... [--filter "<dimension> = <value>"]... [--period "<period>"] [--compare "<period>"] [--limit N] [--bottom] [--json]',
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === undefined) {
      const project = await loadProject(io.cwd, io.env, io);
      try {
        io.stdout(listMetrics(project.manifest));
      } finally {
        await project.close();
      }
      return 0;
    }
    if (sub !== 'query') throw new UsageError(`unknown subcommand '${sub}'; use revops metrics or revops metrics query`);
    return query(rest, io);
  },
};
