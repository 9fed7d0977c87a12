/**
 * The entity names read from a warehouse (readEntityNames.ts), packed (packedNames.ts) and cached in a
 * file beside it (`<warehouse>.names`), keyed by what a cheap check sees of the warehouse (its snapshot version: the
 * DuckDB file's dev, inode, size and mtime) and by the columns read, so a million opportunities' names come from the
 * warehouse only after it changed. The file is a header line (format, key, byte count and SHA-256 of the body) and
 * the body: the packed arrays as they lie in memory, after a small JSON directory of where each one is, so loading
 * is one read and no parsing. A file that does not match its header, or was cut short, is ignored and rebuilt, never
 * trusted. It is written to a file of its own, flushed, and renamed into place, so concurrent writers each leave a
 * whole file and a reader never sees half of one. A warehouse that cannot tell cheaply that it changed (Firebolt,
 * in-memory DuckDB) is read every time; a cache that cannot be written (a read-only file system, as on Lambda outside
 * /tmp) is skipped.
 */
import { createHash, randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { endianness } from 'node:os';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { readEntityNames } from './readEntityNames.ts';
import { type IntLists, listCount, packNames, type PackedNames, type StringList } from './packedNames.ts';

/** Bumped when the body's layout or what `readEntityNames` returns changes shape or meaning. */
const FORMAT = 4;

interface Header {
  format: number;
  key: string;
  bytes: number;
  sha256: string;
}

/** Where an array lies in the body's data: byte offset and length (bytes of UTF-8 text, else 32-bit numbers). */
type Span = [at: number, length: number];

/** The body's JSON part: the packed names with a span in place of each array. */
interface Directory {
  strings: { text: Span; offsets: Span };
  words: { text: Span; offsets: Span };
  wordsOf: { offsets: Span; items: Span };
  tables: Array<{ table: string; columns: string[]; values: Span[]; partners: Record<string, { offsets: Span; items: Span }> }>;
  valueColumns: Record<string, Span>;
}

export const nameCachePath = (warehouseFile: string): string => `${warehouseFile}.names`;

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

// Numbers are stored in this machine's byte order: a file copied to a machine of the other order is rebuilt there.
const cacheKey = (version: string, sources: string[], valueSources: string[]): string => sha256(JSON.stringify({
  format: FORMAT, byteOrder: endianness(), version, sources: [...new Set(sources)].sort(),
  valueSources: [...new Set(valueSources)].filter((s) => !sources.includes(s)).sort(),
}));

const aligned = (n: number): number => Math.ceil(n / 4) * 4;

/** The body: a 4-byte directory length, the directory, then each array at a 4-byte boundary. */
function encodeNames(names: PackedNames): Buffer {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const put = (bytes: Uint8Array, length: number): Span => {
    const at = size;
    chunks.push(bytes, new Uint8Array(aligned(bytes.length) - bytes.length));
    size = aligned(size + bytes.length);
    return [at, length];
  };
  const ints = (a: Int32Array): Span => put(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), a.length);
  const text = (s: string): Span => {
    const bytes = Buffer.from(s, 'utf8');
    return put(bytes, bytes.length);
  };
  const strings = (l: StringList) => ({ text: text(l.text), offsets: ints(l.offsets) });
  const lists = (l: IntLists) => ({ offsets: ints(l.offsets), items: ints(l.items) });
  const directory: Directory = {
    strings: strings(names.strings),
    words: strings(names.words),
    wordsOf: lists(names.wordsOf),
    tables: names.tables.map((t) => ({
      table: t.table, columns: t.columns, values: t.values.map(ints),
      partners: Object.fromEntries(Object.entries(t.partners).map(([pair, l]) => [pair, lists(l)])),
    })),
    valueColumns: Object.fromEntries(Object.entries(names.valueColumns).map(([source, values]) => [source, ints(values)])),
  };
  const json = Buffer.from(JSON.stringify(directory), 'utf8');
  const lead = Buffer.alloc(aligned(4 + json.length));
  lead.writeUInt32LE(json.length, 0);
  json.copy(lead, 4);
  return Buffer.concat([lead, ...chunks]);
}

/** The packed names of a body `encodeNames` wrote (its checksum already matched); throws when it does not add up. */
function decodeNames(body: Buffer): PackedNames {
  const length = body.readUInt32LE(0);
  const directory = JSON.parse(body.toString('utf8', 4, 4 + length)) as Directory;
  let data = body.subarray(aligned(4 + length));
  // Typed arrays need their 4-byte alignment in memory, which a read buffer need not have.
  if (data.byteOffset % 4 !== 0) data = Buffer.from(new Uint8Array(data).buffer);
  const within = ([at, bytes]: [number, number]): void => {
    if (!(Number.isInteger(at) && Number.isInteger(bytes) && at >= 0 && bytes >= 0 && at + bytes <= data.length)) throw new Error('span outside the data');
  };
  const ints = ([at, count]: Span): Int32Array => {
    within([at, count * 4]);
    return new Int32Array(data.buffer, data.byteOffset + at, count);
  };
  const lists = (d: { offsets: Span; items: Span }, count: number): IntLists => {
    const l = { offsets: ints(d.offsets), items: ints(d.items) };
    if (listCount(l) !== count || l.offsets[0] !== 0 || l.offsets[count] !== l.items.length) throw new Error('lists do not add up');
    return l;
  };
  const strings = (d: { text: Span; offsets: Span }): StringList => {
    within(d.text);
    const l = { text: data.toString('utf8', d.text[0], d.text[0] + d.text[1]), offsets: ints(d.offsets) };
    if (l.offsets.length < 1 || l.offsets[0] !== 0 || l.offsets[l.offsets.length - 1] !== l.text.length) throw new Error('strings do not add up');
    return l;
  };
  const names = { strings: strings(directory.strings), words: strings(directory.words) };
  return {
    ...names,
    wordsOf: lists(directory.wordsOf, listCount(names.strings)),
    tables: directory.tables.map((t) => {
      const values = t.values.map(ints);
      if (values.length !== t.columns.length) throw new Error('a column without values');
      const partners = Object.fromEntries(Object.entries(t.partners).map(([pair, d]) => [pair, lists(d, values[Number(pair.split(':')[0])]!.length)]));
      return { table: t.table, columns: t.columns, values, partners };
    }),
    valueColumns: Object.fromEntries(Object.entries(directory.valueColumns).map(([source, span]) => [source, ints(span)])),
  };
}

/** The cached names when the file is whole and was written for `key`; undefined otherwise. */
export async function readNameCache(path: string, key: string): Promise<PackedNames | undefined> {
  const data = await readFile(path).catch(() => undefined);
  if (!data) return undefined;
  const end = data.indexOf(0x0a);
  if (end < 0) return undefined;
  try {
    const header = JSON.parse(data.subarray(0, end).toString('utf8')) as Header;
    const body = data.subarray(end + 1);
    if (header.format !== FORMAT || header.key !== key || header.bytes !== body.length || header.sha256 !== sha256(body)) return undefined;
    return decodeNames(body);
  } catch {
    return undefined;
  }
}

/** Writes the cache to a file of its own, flushes it and renames it into place; false when it could not. */
export async function writeNameCache(path: string, key: string, names: PackedNames): Promise<boolean> {
  const body = encodeNames(names);
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
 * The names of `sources` and the values of `valueSources` (readEntityNames.ts), from the cache when the warehouse
 * has not changed since it was written, else from the warehouse (then cached, unless the warehouse changed while
 * they were read).
 */
export async function cachedEntityNames(warehouse: Warehouse, sources: string[], valueSources: string[] = []): Promise<PackedNames> {
  const before = await warehouse.snapshot?.();
  if (!before) return packNames(await readEntityNames(warehouse, sources, valueSources));
  const path = nameCachePath(before.file);
  const key = cacheKey(before.version, sources, valueSources);
  const cached = await readNameCache(path, key);
  if (cached) return cached;
  const names = packNames(await readEntityNames(warehouse, sources, valueSources));
  const after = await warehouse.snapshot!();
  if (after.version === before.version) await writeNameCache(path, key, names);
  return names;
}
