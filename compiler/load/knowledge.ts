/**
 * Reading `specs/knowledge/*.md`: Markdown documents with YAML front matter between two `---` lines. The front
 * matter is parsed from a copy of the file with everything else blanked out (newlines kept), so its YAML nodes
 * carry offsets into the real file and diagnostics point at the right line and column. Nothing here throws for bad
 * input: a missing or unreadable front matter is a diagnostic.
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Composer, isMap, type Document } from 'yaml';
import { MAX_NESTING, syntaxTree, tooDeep } from './nesting.ts';
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic } from '../diagnostics/diagnostic.ts';
import { MAX_SPEC_BYTES, readSpecFile } from './files.ts';

export const KNOWLEDGE_FOLDER = 'specs/knowledge';

export interface KnowledgeFile {
  /** Relative to the project root: specs/knowledge/<id>.md. */
  path: string;
  /** The file stem. */
  id: string;
  text: string;
  /** The front matter as YAML (offsets are the file's) and as plain data. */
  doc: Document.Parsed;
  value: Record<string, unknown>;
  /** The Markdown after the front matter, and where it starts in the file. */
  body: string;
  bodyStart: number;
}

const FENCE = /^---[ \t]*\r?$/mu;
const blank = (text: string): string => text.replace(/[^\n]/gu, ' ');

export function parseKnowledge(path: string, text: string): { file?: KnowledgeFile; diagnostics: Diagnostic[] } {
  const at = (start: number, length = 1) => ({ file: path, start, length });
  const firstLine = text.split('\n', 1)[0]!;
  const afterOpen = firstLine.length + 1;
  const close = FENCE.test(firstLine) ? FENCE.exec(text.slice(afterOpen)) : null;
  if (!close) return { diagnostics: [diagnostic(catalog.knowledgeFrontMatter, at(0, Math.max(1, firstLine.length)))] };
  const frontEnd = afterOpen + close.index;
  const bodyStart = Math.min(text.length, frontEnd + close[0].length + 1);
  const padded = blank(text.slice(0, afterOpen)) + text.slice(afterOpen, frontEnd) + blank(text.slice(frontEnd));
  const tree = syntaxTree(padded);
  const deep = tooDeep(tree);
  if (deep !== undefined) return { diagnostics: [diagnostic(catalog.tooDeep, at(deep), [MAX_NESTING])] };
  const [doc, second] = [...new Composer({}).compose(tree, true, padded.length)] as [Document.Parsed, Document.Parsed | undefined];
  const errors = [...doc.errors, ...(second ? [{ pos: second.range.slice(0, 2) as [number, number], message: 'Source contains multiple documents' }] : [])];
  if (errors.length) {
    return {
      diagnostics: errors.map((error) => diagnostic(catalog.yamlSyntax, at(error.pos[0], Math.max(1, error.pos[1] - error.pos[0])),
        [error.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/u, '')])),
    };
  }
  const value: unknown = doc.toJS();
  if (!isMap(doc.contents) || typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { diagnostics: [diagnostic(catalog.knowledgeFrontMatter, at(0, firstLine.length))] };
  }
  const id = path.split('/').at(-1)!.replace(/\.md$/u, '');
  return { file: { path, id, text, doc, value: value as Record<string, unknown>, body: text.slice(bodyStart), bodyStart }, diagnostics: [] };
}

export async function loadKnowledge(root: string): Promise<{ files: KnowledgeFile[]; sources: Map<string, string>; diagnostics: Diagnostic[] }> {
  const dir = join(root, KNOWLEDGE_FOLDER);
  const names = (await readdir(dir, { withFileTypes: true }).catch(() => []))
    .filter((d) => d.isFile() && d.name.endsWith('.md')).map((d) => d.name).sort();
  const result = { files: [] as KnowledgeFile[], sources: new Map<string, string>(), diagnostics: [] as Diagnostic[] };
  for (const name of names) {
    const path = `${KNOWLEDGE_FOLDER}/${name}`;
    // Links, special files and an unreadable folder are reported by loadSpecs, which lists every entry under specs/.
    const read = await readSpecFile(join(dir, name));
    const start = { file: path, start: 0, length: 0 };
    if (read.kind === 'tooLarge') result.diagnostics.push(diagnostic(catalog.fileTooLarge, start, [read.bytes, MAX_SPEC_BYTES]));
    if (read.kind === 'unreadable') result.diagnostics.push(diagnostic(catalog.unreadable, start, [read.reason, read.code]));
    if (read.kind !== 'text') continue;
    const text = read.text;
    result.sources.set(path, text);
    if (read.invalidAt !== undefined) {
      result.diagnostics.push(diagnostic(catalog.notUtf8, { file: path, start: read.invalidAt, length: 1 }));
      continue;
    }
    const parsed = parseKnowledge(path, text);
    result.diagnostics.push(...parsed.diagnostics);
    if (parsed.file) result.files.push(parsed.file);
  }
  return result;
}
