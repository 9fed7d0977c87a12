/**
 * The metrics layer: measure names unique across models, joins that exist, and skill steps that ask a metrics tool
 * for a measure or dimension the layer defines (its tables and columns against the warehouse: metrics-warehouse.ts).
 */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import { TIME_GRAINS } from '../manifest.ts';
import type { Project, Spec } from '../project.ts';
import type { MetricsSpec } from '../schema/index.ts';
import type { CheckContext } from './context.ts';
import { duplicatesIn } from './duplicates.ts';

function joinReferences({ value, at }: Spec<MetricsSpec>): Diagnostic[] {
  const joins = Object.keys(value.joins ?? {});
  return Object.entries(value.dimensions ?? {}).flatMap(([name, d]) =>
    d.join && !joins.includes(d.join) ? [unknownName(catalog.unknownMetricJoin, at(['dimensions', name, 'join']), d.join, joins)] : []);
}

/** The dimensions (and time grains) of the model that defines each measure. */
function dimensionsByMeasure(project: Project): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { value } of project.metrics) {
    const dims = [...Object.keys(value.dimensions ?? {}), ...TIME_GRAINS];
    for (const measure of Object.keys(value.measures)) if (!out.has(measure)) out.set(measure, dims);
  }
  return out;
}

/** Literal names only: a `with` value holding a Liquid expression is read at run time. */
const literal = (v: unknown): v is string => typeof v === 'string' && !v.includes('{');

function stepReferences(project: Project, context: CheckContext): Diagnostic[] {
  const dims = dimensionsByMeasure(project);
  const out: Diagnostic[] = [];
  for (const { value, at } of project.agents) {
    (value.skills ?? []).forEach((skill, s) => skill.steps.forEach((step, n) => {
      if (context.tools.get(step.tool)?.value.kind !== 'metrics') return;
      const path = ['skills', s, 'steps', n, 'with'];
      const measure = step.with?.measure;
      if (literal(measure) && !dims.has(measure)) {
        out.push(unknownName(catalog.unknownMeasure, at([...path, 'measure']), measure, dims.keys()));
        return;
      }
      const groupBy = step.with?.group_by;
      if (!literal(measure) || !literal(groupBy)) return;
      const known = dims.get(measure);
      if (!known) return;
      for (const name of groupBy.split(',').map((g) => g.trim()).filter(Boolean)) {
        if (!known.includes(name)) out.push(unknownName(catalog.unknownDimension, at([...path, 'group_by']), name, known, [measure]));
      }
    }));
  }
  return out;
}

function toolsWithoutLayer(project: Project): Diagnostic[] {
  if (project.metrics.length > 0) return [];
  return project.tools.filter((t) => t.value.kind === 'metrics').map((t) => diagnostic(catalog.metricsToolWithoutMetrics, t.at(['kind']), [t.value.name]));
}

export function checkMetrics(project: Project, context: CheckContext): Diagnostic[] {
  const measures = project.metrics.flatMap((m) => Object.keys(m.value.measures).map((name) => ({ name, at: m.at(['measures', name], { key: true }) })));
  return [
    ...duplicatesIn(catalog.duplicateMetricModel, project.metrics.map((m) => ({ name: m.value.name, at: m.at(['name']) }))),
    ...duplicatesIn(catalog.duplicateMeasure, measures),
    ...project.metrics.flatMap(joinReferences),
    ...stepReferences(project, context),
    ...toolsWithoutLayer(project),
  ];
}
