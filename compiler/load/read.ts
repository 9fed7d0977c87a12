/**
 * Reading `specs/**` from disk and parsing each YAML file. Every way a file can fail to be a spec (unreadable YAML,
 * empty, several documents, not a mapping, wrong folder) becomes a diagnostic; nothing here throws for bad input.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { isMap, parseAllDocuments } from 'yaml';
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic.ts';
import { guessKind, MINIMAL_FIELDS } from './kind.ts';
import { KIND_FOLDERS, kindOfFolder, SPEC_KINDS, type ParsedFile, schemaLine, type SourceFile } from './source.ts';

export interface LoadedSpecs {
  files: ParsedFile[];
  /** Text of every YAML file read, by relative path (for rendering positions). */
  sources: Map<string, string>;
  diagnostics: Diagnostic[];
  /** Spec files that did not parse into a mapping: their file names still count as declared names. */
  unparsed: SourceFile[];
}

async function listYaml(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((d) => d.isFile() && /\.ya?ml$/.test(d.name))
    .map((d) => join(d.parentPath, d.name))
    .sort();
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : `a ${typeof value}`;

export function parseSpec(source: SourceFile): { file?: ParsedFile; diagnostics: Diagnostic[] } {
  const at = (start: number, length = 1) => ({ file: source.path, start, length });
  const docs = parseAllDocuments(source.text, { prettyErrors: false });
  const list = Array.isArray(docs) ? docs : [];
  const diagnostics: Diagnostic[] = [];
  for (const error of list.flatMap((d) => d.errors)) {
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
    diagnostics.push(diagnostic(catalog.yamlSyntax, at(error.pos[0], Math.max(1, error.pos[1] - error.pos[0])), [message]));
  }
  if (diagnostics.length) return { diagnostics };
  const doc = list[0];
  if (!doc || doc.contents === null) {
    return { diagnostics: [diagnostic(catalog.emptyFile, at(0, 0), [source.kind, MINIMAL_FIELDS[source.kind]])] };
  }
  if (list.length > 1) {
    return { diagnostics: [diagnostic(catalog.multipleDocuments, at(list[1]!.range[0]), [list.length])] };
  }
  const value: unknown = doc.toJS({ maxAliasCount: 1000 });
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

const folders = SPEC_KINDS.map((kind) => `specs/${KIND_FOLDERS[kind]}`);
const KNOWN_FOLDERS = `${folders.slice(0, -1).join(', ')} or ${folders.at(-1)}`;

export async function loadSpecs(root: string): Promise<LoadedSpecs> {
  const result: LoadedSpecs = { files: [], sources: new Map(), diagnostics: [], unparsed: [] };
  const paths = await listYaml(join(root, 'specs'));
  const texts = await Promise.all(paths.map((p) => readFile(p, 'utf8')));
  for (const [i, absolute] of paths.entries()) {
    const path = relative(root, absolute).split(sep).join('/');
    const text = texts[i]!;
    result.sources.set(path, text);
    const kind = kindOfFolder(path.split('/')[1] ?? '');
    if (!kind || path.split('/').length !== 3) {
      result.diagnostics.push(diagnostic(catalog.strayFile, { file: path, start: 0, length: 0 }, [KNOWN_FOLDERS]));
      continue;
    }
    const parsed = parseSpec({ path, text, kind });
    result.diagnostics.push(...parsed.diagnostics);
    if (parsed.file) result.files.push(parsed.file);
    else result.unparsed.push({ path, text, kind });
  }
  return result;
}
