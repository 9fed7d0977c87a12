/**
 * The project after the shape pass: every spec file that passed its schema, typed, with a way to point at any of
 * its nodes. Files that failed still lend their names, so a reference to a half-written agent is not reported as
 * unknown on top of the agent's own errors.
 */
import type { Location } from './diagnostics/diagnostic.ts';
import { locate, locateInString, type PathSegment } from './load/locate.ts';
import type { ParsedFile, SpecKind } from './load/source.ts';
import type { AgentSpec, ChannelSpec, EvalsSpec, MetricsSpec, RoutesSpec, ToolSpec } from './schema/index.ts';

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
  metrics: Spec<MetricsSpec>[];
  /** Names from files that failed the shape pass. */
  halfWritten: { agent: Set<string>; tool: Set<string>; usedTools: Set<string> };
}

export const emptyProject = (): Project => ({
  agents: [],
  tools: [],
  routes: [],
  channels: [],
  evals: [],
  metrics: [],
  halfWritten: { agent: new Set(), tool: new Set(), usedTools: new Set() },
});

export const specOf = <T>(file: ParsedFile): Spec<T> => ({
  file,
  value: file.value as T,
  at: (path, options) => locate(file, path, options),
  inString: (path, index, length) => locateInString(file, path, index, length),
});

export function addSpec(project: Project, kind: SpecKind, file: ParsedFile): void {
  if (kind === 'agent') project.agents.push(specOf<AgentSpec>(file));
  else if (kind === 'tool') project.tools.push(specOf<ToolSpec>(file));
  else if (kind === 'routes') project.routes.push(specOf<RoutesSpec>(file));
  else if (kind === 'channel') project.channels.push(specOf<ChannelSpec>(file));
  else if (kind === 'metrics') project.metrics.push(specOf<MetricsSpec>(file));
  else project.evals.push(specOf<EvalsSpec>(file));
}

/** First spec per name (later duplicates are reported by the duplicates check and ignored elsewhere). */
export function byName<T extends { name: string }>(specs: readonly Spec<T>[]): Map<string, Spec<T>> {
  const map = new Map<string, Spec<T>>();
  for (const spec of specs) if (!map.has(spec.value.name)) map.set(spec.value.name, spec);
  return map;
}
