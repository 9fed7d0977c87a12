/**
 * The entries under specs/ and reading one of them. Only regular files are read: a symbolic link could pull in a
 * file from outside the project (the manifest must follow from the project's own files), and opening a FIFO or a
 * device would block or never end. Such entries are reported, not skipped in silence. A file is opened without
 * following links and without blocking, and checked again on the open handle, so an entry swapped for a link or
 * a FIFO after the listing is still not read.
 */
import { constants, type Dirent, type Stats } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The largest spec file read, in bytes. Specs are written by hand (the largest shipped one is 12 KB); 1 MiB leaves
 * eighty times that and keeps a compile within a second or two, where a generated or pasted 13 MB file would
 * otherwise hold the checks for minutes.
 */
export const MAX_SPEC_BYTES = 1024 * 1024;

export type SpecEntry =
  | { path: string; kind: 'file' }
  /** Not a regular file or directory: what it is, for the message. */
  | { path: string; kind: 'other'; is: string };

const SPEC_NAME = /\.ya?ml$/;

/** What a directory entry or an open file is, when it is not a regular file (Dirent and Stats ask alike). */
function otherKind(d: Dirent | Stats): string {
  if (d.isSymbolicLink()) return 'symbolic link';
  if (d.isFIFO()) return 'FIFO';
  if (d.isSocket()) return 'socket';
  if (d.isDirectory()) return 'directory';
  return 'device';
}

/**
 * Spec files (`*.yaml`, `*.yml`) and every entry that is neither a regular file nor a directory, sorted by path.
 * Emacs' lock links (`.#name.yaml`, present while a buffer has unsaved changes) are an editor's, not specs.
 */
export async function listSpecEntries(dir: string): Promise<SpecEntry[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .flatMap((d): SpecEntry[] => {
      const path = join(d.parentPath, d.name);
      if (d.isDirectory()) return [];
      if (d.isFile()) return SPEC_NAME.test(d.name) ? [{ path, kind: 'file' }] : [];
      if (d.isSymbolicLink() && d.name.startsWith('.#')) return [];
      return [{ path, kind: 'other', is: otherKind(d) }];
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export type ReadResult =
  | { kind: 'text'; text: string }
  | { kind: 'other'; is: string }
  | { kind: 'tooLarge'; bytes: number };

/** Reads a regular file of at most MAX_SPEC_BYTES; anything else is described, never opened for reading. */
export async function readSpecFile(path: string): Promise<ReadResult> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { kind: 'other', is: 'symbolic link' };
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'other', is: otherKind(stats) };
    if (stats.size > MAX_SPEC_BYTES) return { kind: 'tooLarge', bytes: stats.size };
    return { kind: 'text', text: await handle.readFile('utf8') };
  } finally {
    await handle.close();
  }
}
