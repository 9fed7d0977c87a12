/**
 * The entity names read from a warehouse (entities.ts `readEntityNames`), cached in a file beside it
 * (`<warehouse>.names`), keyed by what a cheap check sees of the warehouse (its snapshot version: the DuckDB file's
 * dev, inode, size and mtime) and by the columns read, so a million opportunities' names come from the warehouse only
 * after it changed. The file is a header line (format, key, byte count and SHA-256 of the body) and the body (JSON):
 * a file that does not match its header, or was cut short, is ignored and rebuilt, never trusted. It is written to a
 * file of its own, flushed, and renamed into place, so concurrent writers each leave a whole file and a reader never
 * sees half of one. A warehouse that cannot tell cheaply that it changed (Firebolt, in-memory DuckDB) is read every
 * time; a cache that cannot be written (a read-only file system, as on Lambda outside /tmp) is skipped.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { type EntityNames, readEntityNames } from './entities.ts';

/** Bumped when what `readEntityNames` returns changes shape or meaning. */
const FORMAT = 1;

interface Header {
  format: number;
  key: string;
  bytes: number;
  sha256: string;
}

export const nameCachePath = (warehouseFile: string): string => `${warehouseFile}.names`;

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

const cacheKey = (version: string, sources: string[]): string =>
  sha256(JSON.stringify({ format: FORMAT, version, sources: [...new Set(sources)].sort() }));

const isNames = (value: unknown): value is EntityNames =>
  typeof value === 'object' && value !== null && Array.isArray((value as EntityNames).tables) &&
  (value as EntityNames).tables.every((t) => typeof t.table === 'string' && Array.isArray(t.columns) &&
    Array.isArray(t.values) && t.values.length === t.columns.length && typeof t.partners === 'object' && t.partners !== null);

/** The cached names when the file is whole and was written for `key`; undefined otherwise. */
export async function readNameCache(path: string, key: string): Promise<EntityNames | undefined> {
  const data = await readFile(path).catch(() => undefined);
  if (!data) return undefined;
  const end = data.indexOf(0x0a);
  if (end < 0) return undefined;
  try {
    const header = JSON.parse(data.subarray(0, end).toString('utf8')) as Header;
    const body = data.subarray(end + 1);
    if (header.format !== FORMAT || header.key !== key || header.bytes !== body.length || header.sha256 !== sha256(body)) return undefined;
    const names: unknown = JSON.parse(body.toString('utf8'));
    return isNames(names) ? names : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the cache to a file of its own, flushes it and renames it into place; false when it could not. */
export async function writeNameCache(path: string, key: string, names: EntityNames): Promise<boolean> {
  const body = Buffer.from(JSON.stringify(names), 'utf8');
  const header: Header = { format: FORMAT, key, bytes: body.length, sha256: sha256(body) };
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), body]));
      await file.datasync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
    return true;
  } catch {
    await unlink(temporary).catch(() => undefined);
    return false;
  }
}

/**
 * The names of `sources`, from the cache when the warehouse has not changed since it was written, else from the
 * warehouse (then cached, unless the warehouse changed while they were read).
 */
export async function cachedEntityNames(warehouse: Warehouse, sources: string[]): Promise<EntityNames> {
  const before = await warehouse.snapshot?.();
  if (!before) return readEntityNames(warehouse, sources);
  const path = nameCachePath(before.file);
  const key = cacheKey(before.version, sources);
  const cached = await readNameCache(path, key);
  if (cached) return cached;
  const names = await readEntityNames(warehouse, sources);
  const after = await warehouse.snapshot!();
  if (after.version === before.version) await writeNameCache(path, key, names);
  return names;
}
