/**
 * The project's own names in the published schemas: where a spec refers to a tool, an agent, a skill, a
 * warehouse column or (in a step of a metrics tool) a measure and the dimensions it groups by, the schema lists
 * the names the project has (`enum`), so the yaml-language-server completes them and underlines a typo as it is
 * typed. Validation does not use these lists (the reference checks report an unknown name with a did-you-mean);
 * they are for editors only.
 */
import type { SpecKind } from '../load/source.ts';
import { TIME_GRAINS } from '../manifest.ts';
import type { Project } from '../project.ts';

export interface ProjectNames {
  tools: string[];
  agents: string[];
  supervisors: string[];
  collaborators: string[];
  skills: string[];
  /** `table.column` of the warehouse schema, as a parameter's `resolve.values` names them. */
  columns: string[];
  /** Tools of kind metrics. */
  metricTools: string[];
  /** Each metrics model's measures and what they group by (its dimensions and the time grains). */
  metricModels: Array<{ measures: string[]; groupBy: string[] }>;
}

type NameList = { [K in keyof ProjectNames]: ProjectNames[K] extends string[] ? K : never }[keyof ProjectNames];

/** Where each kind's schema refers to which names; `*` is every branch of a oneOf. */
const REFERENCES: Array<{ kind: SpecKind; path: Array<string | number>; names: NameList }> = [
  { kind: 'agent', path: ['properties', 'tools', 'items'], names: 'tools' },
  { kind: 'agent', path: ['properties', 'collaborators', 'items', 'properties', 'agent'], names: 'collaborators' },
  { kind: 'agent', path: ['properties', 'skills', 'items', 'properties', 'steps', 'items', 'properties', 'tool'], names: 'tools' },
  { kind: 'routes', path: ['properties', 'supervisor'], names: 'supervisors' },
  { kind: 'routes', path: ['properties', 'routes', 'propertyNames'], names: 'collaborators' },
  { kind: 'channel', path: ['oneOf', '*', 'properties', 'entry'], names: 'supervisors' },
  { kind: 'eval', path: ['properties', 'supervisor'], names: 'supervisors' },
  { kind: 'eval', path: ['properties', 'cases', 'items', 'properties', 'agent'], names: 'agents' },
  { kind: 'eval', path: ['properties', 'cases', 'items', 'properties', 'skill'], names: 'skills' },
  { kind: 'eval', path: ['properties', 'cases', 'items', 'properties', 'tools', 'items'], names: 'tools' },
  { kind: 'tool', path: ['properties', 'parameters', 'additionalProperties', 'properties', 'resolve', 'oneOf', 0, 'properties', 'values'], names: 'columns' },
];

const sorted = (names: Iterable<string>): string[] => [...new Set(names)].sort();

export function projectNames(project: Project): ProjectNames {
  const agents = project.agents.map((a) => a.value);
  return {
    tools: sorted([...project.tools.map((t) => t.value.name), ...project.halfWritten.tool]),
    agents: sorted([...agents.map((a) => a.name), ...project.halfWritten.agent]),
    supervisors: sorted(agents.filter((a) => a.role === 'supervisor').map((a) => a.name)),
    collaborators: sorted(agents.filter((a) => a.role === 'collaborator').map((a) => a.name)),
    skills: sorted(agents.flatMap((a) => (a.skills ?? []).map((s) => s.name))),
    columns: sorted(project.warehouses.flatMap(({ value }) =>
      Object.entries(value.tables).flatMap(([table, { columns }]) => Object.keys(columns).map((c) => `${table}.${c}`)))),
    metricTools: sorted(project.tools.filter((t) => t.value.kind === 'metrics').map((t) => t.value.name)),
    metricModels: project.metrics.map(({ value }) => ({
      measures: sorted(Object.keys(value.measures)),
      // A number dimension (amount) filters by thresholds; it is not grouped by.
      groupBy: [...sorted(Object.entries(value.dimensions ?? {}).filter(([, d]) => d.type !== 'number').map(([name]) => name)), ...TIME_GRAINS],
    })),
  };
}

/** A `with` value holding Liquid is read at run time, and an empty one leaves that part unset: either passes. */
const LIQUID = { type: 'string', pattern: '\\{' };
const EMPTY = { type: 'string', maxLength: 0 };

/** `region` or `region, quarter`: one name or a comma-separated list of them. */
const listOf = (names: readonly string[]) => {
  const one = `(${names.join('|')})`;
  return { type: 'string', pattern: `^\\s*${one}(\\s*,\\s*${one})*\\s*$` };
};

/**
 * A step of a metrics tool (its `tool` one of them): `with.measure` one of the measures, and `with.group_by` the
 * dimensions and grains of that measure's model.
 */
function metricStep(names: ProjectNames): object {
  const measures = names.metricModels.flatMap((m) => m.measures);
  return {
    if: { properties: { tool: { enum: names.metricTools } }, required: ['tool'] },
    then: {
      properties: {
        with: {
          properties: { measure: { anyOf: [{ enum: measures }, LIQUID] } },
          allOf: names.metricModels.map((m) => ({
            if: { properties: { measure: { enum: m.measures } }, required: ['measure'] },
            then: { properties: { group_by: { anyOf: [{ enum: m.groupBy }, listOf(m.groupBy), LIQUID, EMPTY] } } },
          })),
        },
      },
    },
  };
}

const STEP = ['properties', 'skills', 'items', 'properties', 'steps', 'items'];

/** A copy of `node` with `fields` added at `path` (every branch where the path says `*`). */
function withFields(node: unknown, path: ReadonlyArray<string | number>, fields: object): unknown {
  if (!path.length) return { ...(node as object), ...fields };
  if (typeof node !== 'object' || node === null) return node;
  const [head, ...rest] = path;
  if (head === '*' && Array.isArray(node)) return node.map((child) => withFields(child, rest, fields));
  const key = head as keyof typeof node;
  if (!(key in node)) return node;
  const copy = Array.isArray(node) ? [...node] : { ...node };
  (copy as Record<string | number, unknown>)[key] = withFields(node[key], rest, fields);
  return copy;
}

/** The kind's schema with the project's names where it refers to them (a list left out when the project has none). */
export function withProjectNames(kind: SpecKind, schema: object, names: ProjectNames): object {
  const named = REFERENCES.filter((r) => r.kind === kind && names[r.names].length)
    .reduce<object>((current, r) => withFields(current, r.path, { enum: names[r.names] }) as object, schema);
  const metrics = kind === 'agent' && names.metricTools.length > 0 && names.metricModels.length > 0;
  return metrics ? withFields(named, STEP, metricStep(names)) as object : named;
}
