/** What `validate` and `compile` share: their options, and printing diagnostics with a summary line. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type CommandIO, UsageError } from './command.ts';
import type { CompileResult } from '../compile.ts';
import { hasErrors } from '../diagnostics/diagnostic.ts';
import { renderJson, renderText, summary } from '../diagnostics/render.ts';

export type Format = 'text' | 'json';

export interface Options {
  strict: boolean;
  format: Format;
  out: string;
}

/** Parses `[--strict] [--format text|json]`, plus `--out <dir>` when the command writes files. */
export function parseOptions(args: string[], withOut = false): Options {
  const options: ParseArgsConfig['options'] = {
    strict: { type: 'boolean', default: false },
    format: { type: 'string', default: 'text' },
    ...(withOut ? { out: { type: 'string', default: 'build' } } : {}),
  };
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args, options, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const format = values.format;
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${String(format)}'`);
  return { strict: values.strict === true, format, out: String(values.out ?? 'build') };
}

/** Prints the diagnostics (stderr in text form, stdout as JSON) and returns the exit code: 1 on errors. */
export function report(result: CompileResult, format: Format, io: CommandIO): number {
  const { diagnostics, sources, fileCount } = result;
  if (format === 'json') io.stdout(renderJson(diagnostics, sources, fileCount));
  else {
    if (diagnostics.length) io.stderr(renderText(diagnostics, sources, io.isTTY));
    io.stderr(summary(diagnostics, fileCount));
  }
  return hasErrors(diagnostics) ? 1 : 0;
}
