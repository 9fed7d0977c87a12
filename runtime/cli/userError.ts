/**
 * What the CLI dispatcher prints, in one line and without a stack, for a failure the user can fix: a CodedError
 * (`error <code>: <message>`; an infra error's message starts with its code already, `RV_INFRA_SPECS: …`, because
 * Pulumi prints only the message), and a file-system failure on a path the user chose (REVOPS_DATA_DIR is a file, a
 * folder is not writable, the disk is full), which Node reports as a bare `ENOTDIR: not a directory, mkdir '…'`.
 * Anything else is a bug and keeps its stack.
 */
import { CodedError } from '../../compiler/codedError.ts';

const FILE_SYSTEM: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'a file is already there',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};

function fileSystemFailure(error: unknown): string | undefined {
  const { code, syscall, path } = (error ?? {}) as { code?: unknown; syscall?: unknown; path?: unknown };
  if (typeof code !== 'string' || typeof path !== 'string' || typeof syscall !== 'string' || !Object.hasOwn(FILE_SYSTEM, code)) return undefined;
  return `cannot ${syscall} ${path}: ${FILE_SYSTEM[code]} (${code})`;
}

export function userErrorMessage(error: unknown): string | undefined {
  if (error instanceof CodedError) {
    if (!error.message.startsWith(`${error.code}: `)) return `error ${error.code}: ${error.message}`;
    const cause = fileSystemFailure(error.cause);
    return `error ${error.message}${cause ? ` (${cause})` : ''}`;
  }
  const fileSystem = fileSystemFailure(error);
  return fileSystem && `${fileSystem}; check REVOPS_DATA_DIR and the paths given to the command`;
}
