/**
 * DuckDB lets one process at a time hold a database file open for writing; a second open fails with
 * `IO Error: Could not set lock on file "<path>": Conflicting lock is held in <program> (PID <n>)`. For the embedded
 * warehouse that other process is nearly always a running `revops serve` or `npm start`, so the error says so, with
 * the holder's PID and the way out, instead of DuckDB's text with the machine's absolute path.
 */
import { isAbsolute, relative } from 'node:path';
import { WarehouseError } from './warehouse.ts';

const LOCK_CONFLICT = /Could not set lock on file/;
const HOLDER_PID = /Conflicting lock is held in .*?\(PID (\d+)\)/s;

/** The path as the user would type it from `cwd`: relative when inside it, else as configured. */
function shownPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** A `locked` WarehouseError for DuckDB's lock conflict; `undefined` for any other failure to open. */
export function lockConflict(error: unknown, at: { path: string; cwd: string; variable: string }): WarehouseError | undefined {
  const text = error instanceof Error ? error.message : String(error);
  if (!LOCK_CONFLICT.test(text)) return undefined;
  const pid = HOLDER_PID.exec(text)?.[1];
  return new WarehouseError('locked', `another revops process is using ${shownPath(at.path, at.cwd)}${pid ? ` (PID ${pid})` : ''}; ` +
    `stop it or set ${at.variable}`, { cause: error });
}
