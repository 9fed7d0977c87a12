/**
 * Reading `specs/**` from disk and parsing each YAML file. Every way a file can fail to be a spec (not a regular
 * file, too large, not readable, unreadable YAML, duplicate keys, bad aliases, empty, several documents, not a mapping, wrong
 * folder) becomes a diagnostic; nothing here throws for bad input.
 */
import { join, relative, sep } from 'node:path';
import { Composer, isMap, type Node } from 'yaml';
import type { Document } from 'yaml';
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic.ts';
import { aliasProblems, MAX_ALIAS_NODES } from './aliases.ts';
import { keyProblems } from './keyProblems.ts';
import { listSpecEntries, MAX_SPEC_BYTES, readSpecFile } from './files.ts';
import { guessKind, MINIMAL_FIELDS } from './kind.ts';
import { MAX_NESTING, syntaxTree, tooDeep } from './nesting.ts';
import { KIND_FOLDER_LIST, KIND_FOLDERS, kindOfFolder, type ParsedFile, schemaLine, type SourceFile, SPEC_KINDS, type SpecKind } from './source.ts';

export interface LoadedSpecs {
  files: ParsedFile[];
  /** Text of every YAML file read, by relative path (for rendering positions). */
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
  /** Spec files that did not parse into a mapping: their file names still count as declared names. */
  unparsed: SourceFile[];
  /** Kinds whose folder (or specs/ itself) could not be listed: what specs of them exist is not known. */
  unlisted: Set<SpecKind>;
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;

/** What the library would report but the loader checks itself, in linear time: duplicate keys and aliases. */
function structureDiagnostics(path: string, doc: Document.Parsed): Diagnostic[] {
  const at = (node: Node) => ({ file: path, start: node.range?.[0] ?? 0, length: Math.max(1, (node.range?.[1] ?? 0) - (node.range?.[0] ?? 0)) });
  const aliases = aliasProblems(doc).map(({ kind, alias }) => {
    const name = alias.source;
    if (kind === 'limit') return diagnostic(catalog.aliasLimit, at(alias), [MAX_ALIAS_NODES]);
    const message = kind === 'cycle' ? `alias *${name} is inside its own anchor &${name}` : `alias *${name} has no anchor &${name} before it`;
    return diagnostic(catalog.yamlSyntax, at(alias), [message]);
  });
  // A tag the library does not know (`!custom`) leaves the text as a plain string: not what the author meant.
  const keys = keyProblems(doc);
  const odd = keys.collections.map((key) => diagnostic(catalog.yamlSyntax, at(key), ['a key is a list or a mapping; keys are plain names']));
  for (const warning of doc.warnings) {
    if (warning.code === 'TAG_RESOLVE_FAILED') {
      odd.push(diagnostic(catalog.yamlSyntax, { file: path, start: warning.pos[0], length: Math.max(1, warning.pos[1] - warning.pos[0]) },
        [`${warning.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '')}; specs use plain YAML values, without tags`]));
    }
  }
  return [...keys.repeated.map((key) => diagnostic(catalog.yamlSyntax, at(key), ['Map keys must be unique'])), ...aliases, ...odd];
}

export function parseSpec(source: SourceFile): { file?: ParsedFile; diagnostics: Diagnostic[] } {
  const at = (start: number, length = 1) => ({ file: source.path, start, length });
  const tree = syntaxTree(source.text);
  const deep = tooDeep(tree);
  if (deep !== undefined) return { diagnostics: [diagnostic(catalog.tooDeep, at(deep), [MAX_NESTING])] };
  // The library's warnings are read above as diagnostics; left at its default level it would also print them.
  const list = [...new Composer({ uniqueKeys: false, logLevel: 'error' }).compose(tree)];
  const diagnostics: Diagnostic[] = [];
  for (const error of list.flatMap((d) => d.errors)) {
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    diagnostics.push(diagnostic(catalog.yamlSyntax, at(error.pos[0], Math.max(1, error.pos[1] - error.pos[0])), [message]));
  }
  diagnostics.push(...list.flatMap((d) => structureDiagnostics(source.path, d)));
  if (diagnostics.length) return { diagnostics };
  const doc = list[0];
  if (!doc || doc.contents === null) {
    return { diagnostics: [diagnostic(catalog.emptyFile, at(0, 0), [source.kind, MINIMAL_FIELDS[source.kind]])] };
  }
  if (list.length > 1) {
    return { diagnostics: [diagnostic(catalog.multipleDocuments, at(list[1]!.range[0]), [list.length])] };
  }
  // Aliases are bounded above, in nodes and with a place; the library's own maxAliasCount counts per anchor in
  // another unit (and can refuse what that check let through, as a bare exception), so it is turned off here.
  const value: unknown = doc.toJS({ maxAliasCount: -1 });
  if (!isMap(doc.contents) || typeof value !== 'object' || value === null || Array.isArray(value)) {
    const range = doc.contents.range;
    return { diagnostics: [diagnostic(catalog.notAMapping, at(range?.[0] ?? 0), [describe(value)])] };
  }
  const record = value as Record<string, unknown>;
  const guess = guessKind(record);
  if (guess && guess !== source.kind) {
    const start = doc.contents.range?.[0] ?? 0;
    return { diagnostics: [diagnostic(catalog.wrongKind, at(start), [guess, KIND_FOLDERS[source.kind], KIND_FOLDERS[guess]])] };
  }
  if (!source.text.startsWith(schemaLine(source.kind))) {
    const firstLine = source.text.split('\n', 1)[0]!;
    diagnostics.push(diagnostic(catalog.missingSchemaLine, at(0, Math.max(1, firstLine.length)), [source.kind]));
  }
  return { file: { ...source, doc, value: record }, diagnostics };
}

export async function loadSpecs(root: string): Promise<LoadedSpecs> {
  const result: LoadedSpecs = { files: [], sources: new Map(), diagnostics: [], unparsed: [], unlisted: new Set() };
  const entries = await listSpecEntries(join(root, 'specs'));
  const reads = await Promise.all(entries.map((e) => (e.kind === 'file' ? readSpecFile(e.path) : e)));
  for (const [i, entry] of entries.entries()) {
    const path = relative(root, entry.path).split(sep).join('/');
    const read = reads[i]!;
    const start = { file: path, start: 0, length: 0 };
    const segments = path.split('/');
    const kind = segments.length === 3 ? kindOfFolder(segments[1]!) : undefined;
    if (read.kind !== 'text') {
      const problem = read.kind === 'other' ? diagnostic(catalog.notRegularFile, start, [read.is])
        : read.kind === 'unreadable' ? diagnostic(catalog.unreadable, start, [read.reason, read.code])
        : diagnostic(catalog.fileTooLarge, start, [read.bytes, MAX_SPEC_BYTES]);
      result.diagnostics.push(problem);
      if (kind) result.unparsed.push({ path, text: '', kind });
      if (read.kind === 'unreadable' && segments.length <= 2) {
        for (const unlisted of segments.length === 1 ? SPEC_KINDS : [kindOfFolder(segments[1]!)]) if (unlisted) result.unlisted.add(unlisted);
      }
      continue;
    }
    const text = read.text;
    result.sources.set(path, text);
    if (read.invalidAt !== undefined) {
      result.diagnostics.push(diagnostic(catalog.notUtf8, { file: path, start: read.invalidAt, length: 1 }));
      if (kind) result.unparsed.push({ path, text, kind });
      continue;
    }
    if (!kind) {
      result.diagnostics.push(diagnostic(catalog.strayFile, start, [KIND_FOLDER_LIST]));
      continue;
    }
    const parsed = parseSpec({ path, text, kind });
    result.diagnostics.push(...parsed.diagnostics);
    if (parsed.file) result.files.push(parsed.file);
    else result.unparsed.push({ path, text, kind });
  }
  return result;
}
