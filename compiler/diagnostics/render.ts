/**
 * Printing diagnostics: one line per problem (`file:line:col: error RV3001: message`, for CI and editors' problem
 * matchers), a code frame with `~~~` under the offending node when a person is watching a terminal, JSON for
 * machines, and a summary line. Line and column are 1-based and computed here from the file text. File names,
 * messages and source lines are printed with control characters escaped (`\n`, `\u001b`): a newline in a file
 * name would split the one line a problem matcher reads, and an escape sequence in a spec would reach the terminal.
 */
import type { Diagnostic } from './diagnostic.ts';

export type Sources = ReadonlyMap<string, string>;

export interface Position {
  line: number;
  column: number;
}

/** Offsets at which each line starts: built once per file, so placing n diagnostics costs n binary searches. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function positionIn(starts: readonly number[], offset: number): Position {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return { line: low + 1, column: offset - starts[low]! + 1 };
}

export const positionAt = (text: string, offset: number): Position => positionIn(lineStarts(text), offset);

/** Line starts per file of one compile's sources, kept as long as the sources are. */
const indexes = new WeakMap<Sources, Map<string, number[]>>();

function startsOf(sources: Sources, file: string): number[] {
  let byFile = indexes.get(sources);
  if (!byFile) indexes.set(sources, (byFile = new Map()));
  let starts = byFile.get(file);
  if (!starts) byFile.set(file, (starts = lineStarts(sources.get(file) ?? '')));
  return starts;
}

/** C0 and C1 controls, line and paragraph separators, and bidirectional overrides (which reorder what is shown). */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `text` on one line, each unprintable character as its escape; `keepTabs` for source lines, whose tabs indent. */
export const printable = (text: string, keepTabs = false): string =>
  text.replace(UNPRINTABLE, (c) =>
    keepTabs && c === '\t' ? c : NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const positionOf = (d: { file: string; start: number }, sources: Sources): Position =>
  positionIn(startsOf(sources, d.file), d.start);

const where = (d: { file: string; start: number }, sources: Sources): string => {
  const { line, column } = positionOf(d, sources);
  return `${printable(d.file)}:${line}:${column}`;
};

export function renderLine(d: Diagnostic, sources: Sources): string {
  const related = (d.related ?? []).map((r) => `\n  ${where(r, sources)}: ${printable(r.message)}`).join('');
  return `${where(d, sources)}: ${d.category} ${d.code}: ${printable(d.message)}${related}`;
}

/** The source line holding the node, with squiggles under it (clipped to that line, aligned under escapes and tabs). */
export function codeFrame(d: Diagnostic, sources: Sources): string {
  const text = sources.get(d.file);
  if (text === undefined) return '';
  const starts = startsOf(sources, d.file);
  const { line, column } = positionIn(starts, d.start);
  // A CRLF file's line ends in '\r', which is part of the line break, not of the line shown.
  const lineText = text.slice(starts[line - 1], line < starts.length ? starts[line]! - 1 : text.length).replace(/\r$/, '');
  const width = Math.max(1, Math.min(d.length, lineText.length - column + 1));
  const before = printable(lineText.slice(0, column - 1), true);
  const marked = printable(lineText.slice(column - 1, column - 1 + width), true);
  const gutter = String(line);
  return [
    `${gutter} | ${printable(lineText, true)}`,
    `${' '.repeat(gutter.length)} | ${before.replace(/[^\t]/g, ' ')}${'~'.repeat(marked.length)}`,
  ].join('\n');
}

export function summary(diagnostics: readonly Diagnostic[], fileCount: number): string {
  const errors = diagnostics.filter((d) => d.category === 'error').length;
  const warnings = diagnostics.length - errors;
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${count(errors, 'error')}, ${count(warnings, 'warning')} in ${count(fileCount, 'file')}`;
}

export function renderText(diagnostics: readonly Diagnostic[], sources: Sources, tty: boolean): string {
  return diagnostics
    .map((d) => (tty ? `${renderLine(d, sources)}\n${codeFrame(d, sources)}\n` : renderLine(d, sources)))
    .join('\n');
}

export function renderJson(diagnostics: readonly Diagnostic[], sources: Sources, fileCount: number): string {
  const items = diagnostics.map((d) => ({ ...d, ...positionOf(d, sources) }));
  const errors = diagnostics.filter((d) => d.category === 'error').length;
  return JSON.stringify({ diagnostics: items, errors, warnings: diagnostics.length - errors, files: fileCount }, null, 2);
}
