/**
 * The project's own names in the published schemas: where a spec refers to a tool, an agent, a skill or a
 * warehouse column, the schema lists the names the project has (`enum`), so the yaml-language-server completes
 * them and underlines a typo as it is typed. Validation does not use these lists (the reference checks report an
 * unknown name with a did-you-mean); they are for editors only.
 */
import type { SpecKind } from '../load/source.ts';
import type { Project } from '../project.ts';

export interface ProjectNames {
  tools: string[];
  agents: string[];
  supervisors: string[];
  collaborators: string[];
  skills: string[];
  /** `table.column` of the warehouse schema, as a parameter's `resolve.values` names them. */
  columns: string[];
}

/** Where each kind's schema refers to which names; `*` is every branch of a oneOf. */
const REFERENCES: Array<{ kind: SpecKind; path: Array<string | number>; names: keyof ProjectNames }> = [
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
  };
}

/** A copy of `node` with `enum` set at `path` (every branch where the path says `*`). */
function withEnum(node: unknown, path: ReadonlyArray<string | number>, names: readonly string[]): unknown {
  if (!path.length) return { ...(node as object), enum: names };
  if (typeof node !== 'object' || node === null) return node;
  const [head, ...rest] = path;
  if (head === '*' && Array.isArray(node)) return node.map((child) => withEnum(child, rest, names));
  const key = head as keyof typeof node;
  if (!(key in node)) return node;
  const copy = Array.isArray(node) ? [...node] : { ...node };
  (copy as Record<string | number, unknown>)[key] = withEnum(node[key], rest, names);
  return copy;
}

/** The kind's schema with the project's names where it refers to them (a list left out when the project has none). */
export function withProjectNames(kind: SpecKind, schema: object, names: ProjectNames): object {
  return REFERENCES.filter((r) => r.kind === kind && names[r.names].length)
    .reduce<object>((current, r) => withEnum(current, r.path, names[r.names]) as object, schema);
}
