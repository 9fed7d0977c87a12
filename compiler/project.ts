/**
 * The project after the shape pass: every spec file that passed its schema, typed, with a way to point at any of
 * its nodes. Files that failed still lend their names, so a reference to a half-written agent is not reported as
 * unknown on top of the agent's own errors.
 */
import type { Location } from './diagnostics/diagnostic.ts';
import { locate, locateInString, type PathSegment } from './load/locate.ts';
import type { KnowledgeFile } from './load/knowledge.ts';
import type { ParsedFile, SpecKind } from './load/source.ts';
import type { AgentSpec, ChannelSpec, EvalsSpec, MetricsSpec, RoutesSpec, ToolSpec, WarehouseSpec } from './schema/index.ts';

export interface Spec<T> {
  file: ParsedFile;
  value: T;
  at(path: readonly PathSegment[], options?: { key?: boolean }): Location;
  inString(path: readonly PathSegment[], index: number, length: number): Location;
}

export interface Project {
  agents: Spec<AgentSpec>[];
  tools: Spec<ToolSpec>[];
  routes: Spec<RoutesSpec>[];
  channels: Spec<ChannelSpec>[];
  evals: Spec<EvalsSpec>[];
  warehouses: Spec<WarehouseSpec>[];
  /** specs/knowledge/*.md whose front matter parsed (checked by check/knowledge.ts). */
  knowledge: KnowledgeFile[];
  metrics: Spec<MetricsSpec>[];
  /**
   * Names from files that failed the shape pass (their file name when they have no name), the tools such agents
   * list, and whether an agent's tools could not be read at all (a file that did not parse, tools not a list).
   */
  halfWritten: { agent: Set<string>; tool: Set<string>; usedTools: Set<string>; toolsUnknown: boolean };
}

export const emptyProject = (): Project => ({
  agents: [],
  tools: [],
  routes: [],
  channels: [],
  evals: [],
  warehouses: [],
  knowledge: [],
  metrics: [],
  halfWritten: { agent: new Set(), tool: new Set(), usedTools: new Set(), toolsUnknown: false },
});

export const specOf = <T>(file: ParsedFile): Spec<T> => ({
  file,
  value: file.value as T,
  at: (path, options) => locate(file, path, options),
  inString: (path, index, length) => locateInString(file, path, index, length),
});

/** Which list of the project each kind of spec goes to. */
const LISTS: { [K in SpecKind]: keyof Omit<Project, 'halfWritten'> } = {
  agent: 'agents',
  tool: 'tools',
  routes: 'routes',
  channel: 'channels',
  eval: 'evals',
  warehouse: 'warehouses',
  metrics: 'metrics',
};

export function addSpec(project: Project, kind: SpecKind, file: ParsedFile): void {
  (project[LISTS[kind]] as Spec<unknown>[]).push(specOf(file));
}

/** First spec per name (later duplicates are reported by the duplicates check and ignored elsewhere). */
export function byName<T extends { name: string }>(specs: readonly Spec<T>[]): Map<string, Spec<T>> {
  const map = new Map<string, Spec<T>>();
  for (const spec of specs) if (!map.has(spec.value.name)) map.set(spec.value.name, spec);
  return map;
}
