/**
 * Names declared twice: reported at the later place, with the first as a related location. Files are read in
 * sorted order, so "later" is stable. Also: a file whose name differs from the spec name (a warning).
 */
import { specFileName } from '../load/source.ts';
import { catalog, type CatalogEntry } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, type Location } from '../diagnostics/diagnostic.ts';
import type { PathSegment } from '../load/locate.ts';
import type { Project, Spec } from '../project.ts';

interface Declaration {
  name: string;
  at: Location;
}

export function duplicatesIn(entry: CatalogEntry, declarations: Iterable<Declaration>): Diagnostic[] {
  const first = new Map<string, Location>();
  const out: Diagnostic[] = [];
  for (const { name, at } of declarations) {
    const earlier = first.get(name);
    if (earlier) out.push(diagnostic(entry, at, [name], [{ ...earlier, message: `'${name}' is first defined here` }]));
    else first.set(name, at);
  }
  return out;
}

const declared = <T>(specs: readonly Spec<T>[], key: (v: T) => string, path: PathSegment[]): Declaration[] =>
  specs.map((s) => ({ name: key(s.value), at: s.at(path) }));

function fileNames<T>(specs: readonly Spec<T>[], key: (v: T) => string, path: PathSegment[]): Diagnostic[] {
  return specs
    .filter((s) => specFileName(s.file.path) !== key(s.value))
    .map((s) => diagnostic(catalog.fileNameMismatch, s.at(path), [key(s.value)]));
}

export function checkDuplicates(project: Project): Diagnostic[] {
  const name = (v: { name: string }) => v.name;
  const supervisor = (v: { supervisor: string }) => v.supervisor;
  const perAgent = project.agents.flatMap(({ value, at }) => [
    ...duplicatesIn(catalog.duplicateSkill, (value.skills ?? []).map((s, i) => ({ name: s.name, at: at(['skills', i, 'name']) }))),
    ...duplicatesIn(catalog.duplicateCollaborator,
      (value.collaborators ?? []).map((c, i) => ({ name: c.agent, at: at(['collaborators', i, 'agent']) }))),
  ]);
  return [
    ...duplicatesIn(catalog.duplicateAgent, declared(project.agents, name, ['name'])),
    ...duplicatesIn(catalog.duplicateTool, declared(project.tools, name, ['name'])),
    ...duplicatesIn(catalog.duplicateRoutes, declared(project.routes, supervisor, ['supervisor'])),
    ...duplicatesIn(catalog.duplicateChannel, declared(project.channels, name, ['name'])),
    ...perAgent,
    ...fileNames(project.agents, name, ['name']),
    ...fileNames(project.tools, name, ['name']),
    ...fileNames(project.routes, supervisor, ['supervisor']),
    ...fileNames(project.channels, name, ['name']),
  ];
}
