/**
 * A file-system failure on a path the user chose (REVOPS_DATA_DIR is a file, a folder is not writable, the disk is
 * full) reaches the CLI as Node's bare `ENOTDIR: not a directory, mkdir '…'` with a stack. The dispatcher prints it
 * as one line instead: what was attempted, on which path, what the code means, and where such paths come from.
 */
const MEANING: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'a file is already there',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

/** One line for a file-system error with a known code and path; `undefined` for anything else. */
export function describeFileSystemError(error: unknown): string | undefined {
  const { code, syscall, path } = (error ?? {}) as { code?: unknown; syscall?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof path !== 'string' || typeof syscall !== 'string' || !Object.hasOwn(MEANING, code)) return undefined;
  return `cannot ${syscall} ${path}: ${MEANING[code]} (${code}); check REVOPS_DATA_DIR and the paths given to the command`;
}
