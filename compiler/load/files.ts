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
import { SPEC_FILE } from './source.ts';

/**
 * The largest spec file read, in bytes. Specs are written by hand (the largest shipped one is 12 KB); 1 MiB leaves
 * eighty times that and keeps a compile within a second or two, where a generated or pasted 13 MB file would
 * otherwise hold the checks for minutes.
 */
export const MAX_SPEC_BYTES = 1024 * 1024;

export type SpecEntry =
  | { path: string; kind: 'file' }
  /** Not a regular file or directory: what it is, for the message. */
  | { path: string; kind: 'other'; is: string }
  /** A folder that could not be listed, or a file that could not be opened or read. */
  | Unreadable;

export interface Unreadable {
  path: string;
  kind: 'unreadable';
  /** The system's error code (`EACCES`) and its words (`permission denied`). */
  code: string;
  reason: string;
}

/** An fs failure as an entry; anything that is not one (a bug) is thrown on. */
function unreadable(path: string, error: unknown): Unreadable {
  const { code, message } = error as NodeJS.ErrnoException;
  if (typeof code !== 'string') throw error;
  // Node's message is "<code>: <the system's words>, <call> '<path>'".
  const reason = new RegExp(`^${code}: ([^,]+),`).exec(message)?.[1] ?? code;
  return { path, kind: 'unreadable', code, reason };
}

/** What a directory entry or an open file is, when it is not a regular file (Dirent and Stats ask alike). */
function otherKind(d: Dirent | Stats): string {
  if (d.isSymbolicLink()) return 'symbolic link';
  if (d.isFIFO()) return 'FIFO';
  if (d.isSocket()) return 'socket';
  if (d.isDirectory()) return 'directory';
  return 'device';
}

/**
 * Spec files (`*.yaml`, `*.yml`, in any case), every entry that is neither a regular file nor a directory, and
 * every folder that could not be listed, sorted by path. Listed folder by folder, so one unreadable folder is
 * reported and hides nothing beside it. Emacs' lock links (`.#name.yaml`, present while a buffer has unsaved
 * changes) are an editor's, not specs. A missing `dir` has no entries.
 */
export async function listSpecEntries(dir: string): Promise<SpecEntry[]> {
  const found: SpecEntry[] = [];
  const list = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (folder === dir && (error as NodeJS.ErrnoException).code === 'ENOENT') return;
      found.push(unreadable(folder, error));
      return;
    }
    await Promise.all(entries.map(async (d) => {
      const path = join(folder, d.name);
      if (d.isDirectory()) return list(path);
      if (d.isFile()) {
        if (SPEC_FILE.test(d.name)) found.push({ path, kind: 'file' });
      } else if (!(d.isSymbolicLink() && d.name.startsWith('.#'))) {
        found.push({ path, kind: 'other', is: otherKind(d) });
      }
    }));
  };
  await list(dir);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export type ReadResult =
  /** `invalidAt`: the character offset in `text` of the first byte that is not UTF-8, which `text` shows as U+FFFD. */
  | { kind: 'text'; text: string; invalidAt?: number }
  | { kind: 'other'; is: string }
  | { kind: 'tooLarge'; bytes: number }
  | Unreadable;

const strict = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

/**
 * Spec text is UTF-8; any other byte would become U+FFFD in the manifest unseen. The lenient decoding is kept to
 * show the file; the first U+FFFD whose bytes are not U+FFFD's own is where the bad byte is (the text before it
 * decoded exactly, so its UTF-8 length is that byte's offset). Both drop a leading byte-order mark, which some
 * editors write: the file reads as it would without it (its schema line still first).
 */
function decode(bytes: Buffer): Extract<ReadResult, { kind: 'text' }> {
  try {
    return { kind: 'text', text: strict.decode(bytes) };
  } catch {
    const text = lenient.decode(bytes);
    for (let at = text.indexOf('\uFFFD'); at >= 0; at = text.indexOf('\uFFFD', at + 1)) {
      const offset = Buffer.byteLength(text.slice(0, at));
      if (bytes.readUIntBE(offset, Math.min(3, bytes.length - offset)) !== 0xefbfbd) return { kind: 'text', text, invalidAt: at };
    }
    return { kind: 'text', text, invalidAt: 0 };
  }
}

/** Reads a regular file of at most MAX_SPEC_BYTES; anything else is described, never opened for reading. */
export async function readSpecFile(path: string): Promise<ReadResult> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') return { kind: 'other', is: 'symbolic link' };
    return unreadable(path, error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: 'other', is: otherKind(stats) };
    if (stats.size > MAX_SPEC_BYTES) return { kind: 'tooLarge', bytes: stats.size };
    return decode(await handle.readFile());
  } catch (error) {
    return unreadable(path, error);
  } finally {
    await handle.close();
  }
}
