/**
 * A diagnostic is data: where (file + character offset + length) and what (a catalog code with its arguments
 * already formatted). Line and column are computed only when printed (see render.ts), as the TypeScript compiler
 * does, so checks never need to know about lines.
 */
import type { CatalogEntry, Category } from './catalog.ts';
import { spellingSuggestion } from './spelling.ts';

export interface Location {
  /** Path relative to the project root, with forward slashes (`specs/agents/manager.yaml`). */
  file: string;
  /** Character offset of the offending node in the file's text. */
  start: number;
  length: number;
}

export interface RelatedLocation extends Location {
  message: string;
}

export interface Diagnostic extends Location {
  code: string;
  category: Category;
  message: string;
  related?: RelatedLocation[];
}

const format = (template: string, args: readonly (string | number)[]): string =>
  template.replace(/\{(\d+)\}/g, (_, i: string) => String(args[Number(i)] ?? ''));

export function diagnostic(
  entry: CatalogEntry,
  at: Location,
  args: readonly (string | number)[] = [],
  related?: RelatedLocation[],
): Diagnostic {
  const d: Diagnostic = { code: entry.code, category: entry.category, message: format(entry.message, args), ...at };
  if (related?.length) d.related = related;
  return d;
}

/**
 * The "did you mean" variant: `name` is the unknown name and always argument {0}; when a close candidate exists the
 * entry's `suggestion` template is used with the candidate as the last argument.
 */
export function unknownName(
  entry: CatalogEntry & { suggestion: string },
  at: Location,
  name: string,
  candidates: Iterable<string>,
  args: readonly (string | number)[] = [],
): Diagnostic {
  const best = spellingSuggestion(name, candidates);
  if (best === undefined) return diagnostic(entry, at, [name, ...args]);
  return { ...diagnostic(entry, at, [name, ...args]), message: format(entry.suggestion, [name, ...args, best]) };
}

export const hasErrors = (diagnostics: readonly Diagnostic[]): boolean =>
  diagnostics.some((d) => d.category === 'error');

/** Stable order for output: by file, then position, then code. */
export const compareDiagnostics = (a: Diagnostic, b: Diagnostic): number =>
  a.file < b.file ? -1 : a.file > b.file ? 1 : a.start - b.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
