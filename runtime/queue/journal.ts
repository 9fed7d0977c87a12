/**
 * An append-only file of checksummed JSON lines with group commit: the `append`s of one turn of the event loop form a
 * batch, written with one `write` and made durable with one fsync before any of its callers resolve. Up to three
 * batches' fsyncs run at once (`fsyncsInFlight`): appends made meanwhile gather into the next batch, and when all
 * three are busy, into one batch that waits for a free slot. Under load that is one fsync per batch, not one per
 * request (issue 5), and a slow fsync (a contended disk) holds up its own batch rather than every later one.
 *
 * A line is `<crc32 of the JSON, 8 hex digits> <JSON>\n`. CRC-32 (node:zlib, Node 20.15+) rather than a hash: the
 * damage it guards against is accidental (torn writes, zeroed blocks, bit rot), where a CRC detects every burst up to
 * 32 bits and costs a fraction of SHA-256 per append. Lines without the prefix (journals written before checksums)
 * are accepted when they parse and pass the journal's record check, so an upgrade loses nothing.
 *
 * `readJournal` frames records by newline and resynchronises after damage: a damaged line is reported with its byte
 * offset and the next line read on; a run of zero bytes (a block the file system zeroed, which holds no newline)
 * also ends a damaged stretch, so a record right after it is recovered. Bytes after the last newline are a torn tail
 * (the process died mid-write); `openJournal` truncates it away, so the next append starts on a clean line.
 * `rewrite` replaces the file atomically (compaction).
 */
import { open, readFile, rename, type FileHandle } from 'node:fs/promises';
import { writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { checksum, LineBuffer } from './journalLines.ts';

export { encodeRecord } from './journalLines.ts';

export type Fsync = (file: FileHandle) => Promise<void>;

export const defaultFsync: Fsync = (file) => file.datasync();

export interface Journal {
  /** Resolves once the record is on disk (its batch written and fsynced). */
  append(record: unknown): Promise<void>;
  /** Replaces the whole file with these records, atomically (temp file, fsync, rename); serialised with appends. */
  rewrite(records: unknown[]): Promise<void>;
  /** Bytes in the file, including batches not yet flushed. */
  readonly bytes: number;
  close(): Promise<void>;
}

/** What is wrong with a parsed record (e.g. "send: message.text is not a string"), or undefined when it is sound. */
export type RecordCheck = (record: unknown) => string | undefined;

export interface DamagedRecord {
  /** Byte offset of the damaged stretch in the journal. */
  offset: number;
  raw: Buffer;
  reason: string;
}

export interface JournalContents<R = unknown> {
  /** The intact records, in file order. */
  records: R[];
  /** Bytes up to the last newline; a torn tail starts here. */
  validBytes: number;
  damaged: DamagedRecord[];
}

const TORN_TAIL = 'torn tail: the last record has no newline (the process stopped mid-write)';

const PREFIX = /^[0-9a-f]{8} /;
const NEWLINE = 0x0a;
const BLANK = /^\s*$/;

export async function readJournal<R = unknown>(path: string, check: RecordCheck): Promise<JournalContents<R>> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], validBytes: 0, damaged: [] };
    throw error;
  }
  return parseJournal<R>(data, check);
}

/** Frames, verifies and checks every record of a journal's bytes (pure; see the file comment for the rules). */
function parseJournal<R>(data: Buffer, check: RecordCheck): JournalContents<R> {
  const records: R[] = [];
  const damaged: DamagedRecord[] = [];
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(NEWLINE, start);
    if (end === -1) {
      damaged.push({ offset: start, raw: data.subarray(start), reason: TORN_TAIL });
      return { records, validBytes: start, damaged };
    }
    readLine(data, start, end, check, records, damaged);
    start = end + 1;
  }
  return { records, validBytes: data.length, damaged };
}

function readLine<R>(data: Buffer, start: number, end: number, check: RecordCheck, records: R[], damaged: DamagedRecord[]): void {
  // Only the part after the last zero byte can be a whole record (JSON.stringify escapes U+0000, so no record holds
  // one): whatever precedes it on the line was zeroed.
  const lastZero = data.subarray(start, end).lastIndexOf(0);
  const recordStart = lastZero === -1 ? start : start + lastZero + 1;
  const line = data.subarray(recordStart, end);
  const text = line.toString('utf8');
  const decoded = BLANK.test(text) ? undefined : decode(line, text, check);
  if (decoded && 'record' in decoded) records.push(decoded.record as R);
  if (lastZero !== -1) {
    const stretchEnd = decoded && 'problem' in decoded ? end : recordStart;
    const zeros = data.subarray(start, recordStart).reduce((n, byte) => n + (byte === 0 ? 1 : 0), 0);
    damaged.push({ offset: start, raw: data.subarray(start, stretchEnd), reason: `zeroed bytes: ${zeros} of ${stretchEnd - start} bytes are zero` });
  } else if (decoded && 'problem' in decoded) {
    damaged.push({ offset: start, raw: line, reason: decoded.problem });
  }
}

function decode(line: Buffer, text: string, check: RecordCheck): { record: unknown } | { problem: string } {
  let json = text;
  if (PREFIX.test(text)) {
    json = text.slice(9);
    const actual = checksum(line.subarray(9));
    if (actual !== text.slice(0, 8)) return { problem: `checksum mismatch: the line says ${text.slice(0, 8)}, its bytes have CRC-32 ${actual}` };
  }
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch (error) {
    return { problem: `not JSON: ${(error as Error).message}` };
  }
  const problem = check(record);
  return problem === undefined ? { record } : { problem };
}

/** A batch being gathered: its lines, and the one promise every append in it resolves with. */
interface Pending {
  lines: LineBuffer;
  done: Promise<void>;
  settle: (error?: unknown) => void;
}

function newBatch(expectedBytes = 0): Pending {
  let settle!: (error?: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    settle = (error) => (error === undefined ? resolve() : reject(error));
  });
  // A batch nobody appended to is never awaited; its settling must not read as an unhandled rejection.
  done.catch(() => undefined);
  return { lines: new LineBuffer(expectedBytes), done, settle };
}

/** Fsyncs one journal keeps running at once by default: below libuv's four pool threads, so other file work proceeds. */
export const DEFAULT_FSYNCS_IN_FLIGHT = 3;

export async function openJournal(
  path: string, options: { fsync?: Fsync; validBytes?: number; fsyncsInFlight?: number } = {},
): Promise<Journal> {
  const fsync = options.fsync ?? defaultFsync;
  const inFlight = Math.max(1, options.fsyncsInFlight ?? DEFAULT_FSYNCS_IN_FLIGHT);
  let file = await open(path, 'a+');
  const size = (await file.stat()).size;
  if (options.validBytes !== undefined && options.validBytes < size) {
    await file.truncate(options.validBytes); // drop a torn tail so the next record starts on its own line
    await fsync(file);
  }
  await syncDirectory(dirname(path));
  let bytes = options.validBytes ?? size;
  let pending = newBatch();
  let draining: Promise<void> | undefined;
  let closed = false;
  // Batches and rewrites take turns on the file: a rewrite never swaps the handle under a batch being written.
  let turn: Promise<void> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = turn.then(work);
    turn = run.then(() => undefined, () => undefined);
    return run;
  };

  // Fsyncs of batches already written, still running. Each covers every byte written before it started, so a batch
  // is durable once its own fsync returns; the next batch need not wait for the previous one's.
  const syncing = new Set<Promise<void>>();
  const flushBatch = (batch: Pending): void => {
    let sync: Promise<void>;
    try {
      // The write lands in the page cache in microseconds: done inline, it saves a thread-pool round trip per batch
      // and leaves the pool to the call that waits for the disk.
      writeAll(file.fd, batch.lines.bytes());
      sync = fsync(file);
    } catch (error) {
      sync = Promise.reject(error);
    }
    const settled: Promise<void> = sync.then(() => batch.settle(), (error: unknown) => batch.settle(error ?? new Error('fsync failed')))
      .finally(() => syncing.delete(settled));
    syncing.add(settled);
  };

  const drain = async (): Promise<void> => {
    // Yield once so every append issued in this turn of the event loop joins the same batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await exclusive(async () => {
      while (pending.lines.count > 0) {
        // At most `inFlight` fsyncs at once: while they run the next batch gathers, and the disk (ext4's journal,
        // an SSD's queue) commits concurrent fsyncs together, so a slow fsync holds up one batch, not every one.
        while (syncing.size >= inFlight) await Promise.race(syncing);
        const batch = pending;
        pending = newBatch(batch.lines.length);
        flushBatch(batch);
      }
    });
    draining = undefined;
    if (pending.lines.count > 0) schedule();
  };

  const schedule = (): void => {
    draining ??= drain();
  };
  /** Waits for the running fsyncs (before the file handle is swapped or closed). */
  const synced = async (): Promise<void> => {
    await Promise.all([...syncing]);
  };

  return {
    get bytes() {
      return bytes;
    },
    append(record) {
      if (closed) return Promise.reject(new Error(`journal ${path} is closed`));
      const before = pending.lines.length;
      try {
        pending.lines.add(record);
      } catch (error) {
        return Promise.reject(error);
      }
      bytes += pending.lines.length - before;
      schedule();
      return pending.done;
    },
    rewrite(records) {
      return exclusive(async () => {
        await synced();
        await file.close();
        let written: number;
        try {
          written = await rewriteJournal(path, records, fsync);
        } finally {
          file = await open(path, 'a+'); // the old file when the rewrite failed, which stays whole
        }
        bytes = written + pending.lines.length;
      });
    },
    async close() {
      closed = true;
      while (draining) await draining;
      await exclusive(async () => {
        await synced();
        await file.close();
      });
    },
  };
}

/**
 * Replaces the file with these records atomically: written under a temporary name, fsynced, renamed over it, the
 * directory fsynced. Resolves to the bytes written. Nothing may have the file open for appending meanwhile.
 */
export async function rewriteJournal(path: string, records: unknown[], fsync: Fsync = defaultFsync): Promise<number> {
  const lines = new LineBuffer();
  for (const record of records) lines.add(record);
  const text = lines.bytes();
  const temp = `${path}.compact`;
  const out = await open(temp, 'w');
  try {
    await out.write(text);
    await fsync(out);
  } finally {
    await out.close();
  }
  await rename(temp, path);
  await syncDirectory(dirname(path));
  return text.length;
}

function writeAll(fd: number, buffer: Buffer): void {
  let offset = 0;
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset, buffer.length - offset);
}

/** Makes a created or renamed file's directory entry durable (POSIX); some platforms cannot open directories. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; the file contents are still synced.
  } finally {
    await handle?.close();
  }
}
