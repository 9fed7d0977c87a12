/**
 * Printing diagnostics: one line per problem (`file:line:col: error RV3001: message`, for CI and editors' problem
 * matchers), a code frame with `~~~` under the offending node when a person is watching a terminal, JSON for
 * machines, and a summary line. Line and column are 1-based and computed here from the file text.
 */
import type { Diagnostic } from './diagnostic.ts';

export type Sources = ReadonlyMap<string, string>;

export interface Position {
  line: number;
  column: number;
}

export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

const where = (d: { file: string; start: number }, sources: Sources): string => {
  const { line, column } = positionAt(sources.get(d.file) ?? '', d.start);
  return `${d.file}:${line}:${column}`;
};

export function renderLine(d: Diagnostic, sources: Sources): string {
  const related = (d.related ?? []).map((r) => `\n  ${where(r, sources)}: ${r.message}`).join('');
  return `${where(d, sources)}: ${d.category} ${d.code}: ${d.message}${related}`;
}

/** The source line holding the node, with squiggles under it (clipped to that line). */
export function codeFrame(d: Diagnostic, sources: Sources): string {
  const text = sources.get(d.file);
  if (text === undefined) return '';
  const { line, column } = positionAt(text, d.start);
  const lineText = text.split('\n')[line - 1] ?? '';
  const width = Math.max(1, Math.min(d.length, lineText.length - column + 1));
  const gutter = String(line);
  return [
    `${gutter} | ${lineText}`,
    `${' '.repeat(gutter.length)} | ${' '.repeat(column - 1)}${'~'.repeat(width)}`,
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
  const items = diagnostics.map((d) => ({ ...d, ...positionAt(sources.get(d.file) ?? '', d.start) }));
  const errors = diagnostics.filter((d) => d.category === 'error').length;
  return JSON.stringify({ diagnostics: items, errors, warnings: diagnostics.length - errors, files: fileCount }, null, 2);
}
