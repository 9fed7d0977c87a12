/**
 * The fields templates read from a step's result: `deal_lookup.total_rows`, `deal_lookup.rows[0].amount`,
 * `deal_lookup.totals.amount`, and through names bound to rows (`{% assign d = deal_lookup.rows[0] %}`,
 * `{% for r in x.rows %}`, `{% assign t = x.totals %}`). A step's result has the fields every tool result has
 * (SPEC_FORMAT.md, "Skills"); its rows have the columns the tool's SQL returns, as DuckDB's binder types them over
 * the warehouse schema's tables (sql-parser.ts), without the `matched_*` columns, which are lifted into
 * `total_rows` and `totals.<x>`. Row and totals fields are checked only for `sql` tools whose statement binds.
 */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import { lineStarts } from '../diagnostics/render.ts';
import { analyseTemplate } from './templateAnalysis.ts';
import type { PathSegment } from '../load/locate.ts';
import type { Project, Spec } from '../project.ts';
import type { AgentSpec, ToolSpec } from '../schema/index.ts';
import type { CheckContext } from './context.ts';

/** What every step's result has (runtime/engines/offline/runSkill.ts, stepView). */
export const STEP_FIELDS = ['ok', 'rows', 'columns', 'row_count', 'total_rows', 'totals', 'truncated', 'text', 'error'];

const MATCHED = 'matched_';
const COUNTED = `${MATCHED}rows`;
/** Liquid filters that keep a list of rows a list of rows. */
const KEEPS_ROWS = new Set(['where', 'reject', 'sort', 'sort_natural', 'reverse', 'uniq', 'compact', 'slice', 'concat']);
const PICKS_ROW = new Set(['first', 'last']);

/** The columns of a step's rows and its totals; absent when they are not known. */
interface Shape {
  columns: string[];
  totals: string[];
}

type Value =
  | { kind: 'step'; step: string }
  | { kind: 'rows' | 'row' | 'totals'; step: string };

interface Binding {
  name: string;
  offset: number;
  value: Value;
}

interface Place {
  offset: number;
  length: number;
}

interface Finding {
  entry: 'field' | 'row' | 'total';
  name: string;
  step: string;
  at: Place;
}


/** Where each segment of a variable written at `start` is, in the template text. */
function segmentPlaces(template: string, start: number, segments: readonly PathSegment[]): Place[] {
  const places: Place[] = [];
  let at = start;
  for (const segment of segments) {
    const text = String(segment);
    const found = template.indexOf(text, at);
    if (found === -1) break;
    places.push({ offset: found, length: text.length });
    at = found + text.length;
  }
  return places;
}

/** Follows `segments` from a value; reports the first field the value does not have. */
function follow(
  value: Value | undefined, segments: readonly PathSegment[], places: readonly Place[], shapes: ReadonlyMap<string, Shape>,
): { value?: Value; finding?: Finding } {
  let current = value;
  for (const [i, segment] of segments.entries()) {
    if (!current) return {};
    const at = places[i] ?? places.at(-1) ?? { offset: 0, length: 1 };
    const shape = shapes.get(current.step);
    const name = String(segment);
    if (typeof segment === 'number' && current.kind !== 'rows') return {};
    if (current.kind === 'step') {
      if (!STEP_FIELDS.includes(name)) return { finding: { entry: 'field', name, step: current.step, at } };
      current = name === 'rows' || name === 'totals' ? { kind: name, step: current.step } : undefined;
    } else if (current.kind === 'rows') {
      current = typeof segment === 'number' || PICKS_ROW.has(name) ? { kind: 'row', step: current.step } : undefined;
    } else if (current.kind === 'row') {
      if (shape && !shape.columns.includes(name)) return { finding: { entry: 'row', name, step: current.step, at } };
      current = undefined;
    } else {
      if (shape && !shape.totals.includes(name)) return { finding: { entry: 'total', name, step: current.step, at } };
      current = undefined;
    }
  }
  return current ? { value: current } : {};
}

const BINDING = /\{%-?\s*(?:assign\s+(\w+)\s*=|for\s+(\w+)\s+in)\s*([A-Za-z_]\w*(?:\.\w+|\[\d+\])*)((?:\s*\|\s*\w+(?::[^|%]*)?)*)/g;

/** `a.rows[0].b` -> ['a', 'rows', 0, 'b']. */
const segmentsOf = (path: string): PathSegment[] =>
  [...path.matchAll(/(\w+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!));

function checkTemplate(template: string, steps: ReadonlySet<string>, shapes: ReadonlyMap<string, Shape>): Finding[] {
  const analysed = analyseTemplate(template);
  if (!analysed.ok) return []; // templates.ts reports it
  const bindings: Binding[] = [];
  const lookup = (name: string, offset: number): Value | undefined => {
    if (steps.has(name)) return { kind: 'step', step: name };
    return bindings.filter((b) => b.name === name && b.offset < offset).at(-1)?.value;
  };
  for (const match of template.matchAll(BINDING)) {
    const [, assigned, looped, path, filters = ''] = match;
    const segments = segmentsOf(path!);
    let { value } = follow(lookup(String(segments[0]), match.index), segments.slice(1), [], shapes);
    const names = [...filters.matchAll(/\|\s*(\w+)/g)].map((m) => m[1]!);
    for (const filter of names) {
      if (value?.kind !== 'rows') value = undefined;
      else if (PICKS_ROW.has(filter)) value = { kind: 'row', step: value.step };
      else if (!KEEPS_ROWS.has(filter)) value = undefined;
    }
    if (looped) value = value?.kind === 'rows' ? { kind: 'row', step: value.step } : undefined;
    if (value) bindings.push({ name: (assigned ?? looped)!, offset: match.index, value });
  }
  const findings: Finding[] = [];
  const starts = lineStarts(template);
  for (const uses of Object.values(analysed.analysis.variables)) {
    for (const use of uses) {
      const start = starts[use.location.row - 1]! + use.location.col - 1;
      // A computed index (`rows[i]`) is some row; its place in the text is not needed.
      const segments = use.segments.map((segment) => (typeof segment === 'object' ? -1 : segment));
      const [head, ...rest] = segments;
      const places = segmentPlaces(template, start, segments).slice(1);
      const { finding } = follow(lookup(String(head), start), rest, places, shapes);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}

async function shapeOf(tool: ToolSpec, context: CheckContext): Promise<Shape | undefined> {
  if (tool.kind !== 'sql' || tool.sql === undefined || !context.schema) return undefined;
  await context.sql.createTables(context.schema.tables);
  const types = Object.fromEntries(Object.entries(tool.parameters ?? {}).map(([name, p]) => [name, p.type]));
  const columns = await context.sql.resultColumns(tool.sql, types);
  if (!columns) return undefined;
  const names = columns.map((c) => c.name);
  return {
    columns: names.filter((n) => !n.startsWith(MATCHED)),
    totals: names.filter((n) => n.startsWith(MATCHED) && n !== COUNTED).map((n) => n.slice(MATCHED.length)),
  };
}

async function checkAgent(spec: Spec<AgentSpec>, context: CheckContext): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for (const [s, skill] of (spec.value.skills ?? []).entries()) {
    const stepTools = new Map(skill.steps.map((step) => [step.as ?? step.tool, step.tool]));
    const shapes = new Map<string, Shape>();
    for (const [name, toolName] of stepTools) {
      const tool = context.tools.get(toolName)?.value;
      const shape = tool && (await shapeOf(tool, context));
      if (shape) shapes.set(name, shape);
    }
    const templates: Array<[PathSegment[], string]> = [
      ...skill.steps.flatMap((step, n) => Object.entries(step.with ?? {})
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(([parameter, text]): [PathSegment[], string] => [['skills', s, 'steps', n, 'with', parameter], text])),
      [['skills', s, 'answer'], skill.answer],
    ];
    for (const [path, template] of templates) {
      for (const { entry, name, step, at } of checkTemplate(template, new Set(stepTools.keys()), shapes)) {
        const where = spec.inString(path, at.offset, at.length);
        const shape = shapes.get(step);
        if (entry === 'field') out.push(unknownName(catalog.unknownStepField, where, name, STEP_FIELDS));
        else if (entry === 'row') out.push(unknownName(catalog.unknownRowField, where, name, shape?.columns ?? [], [stepTools.get(step)!]));
        else out.push(unknownName(catalog.unknownTotal, where, name, shape?.totals ?? [], [stepTools.get(step)!]));
      }
    }
  }
  return out;
}

export async function checkStepFields(project: Project, context: CheckContext): Promise<Diagnostic[]> {
  return (await Promise.all(project.agents.map((agent) => checkAgent(agent, context)))).flat();
}
