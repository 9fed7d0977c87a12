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
 * `rewrite` replaces the file atomically (compaction) without stopping the appends for the length of the rewrite:
 * a compaction of a few hundred thousand records took seconds, and every webhook acceptance waited for it (issue 16).
 */
import { open, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { checksum, LineBuffer } from './journalLines.ts';

export { encodeRecord } from './journalLines.ts';

export type Fsync = (file: FileHandle) => Promise<void>;

export const defaultFsync: Fsync = (file) => file.datasync();

export interface Journal {
  /** Resolves once the record is on disk (its batch written and fsynced). */
  append(record: unknown): Promise<void>;
  /**
   * Replaces the file, atomically (temp file, fsync, rename), with these records, which stand for every line
   * appended before the call, followed by every line appended since. Appends go on while the records are encoded;
   * only the last copy and the rename hold them. One rewrite at a time.
   */
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
  /** Where in the file its lines went, once written. */
  offset?: number;
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

/** Records a rewrite encodes between two yields to the event loop (a few milliseconds of work). */
const REWRITE_SLICE = 2_000;
/** Bytes a rewrite copies at once from the lines appended while it ran. */
const COPY_BYTES = 1024 * 1024;

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
  /** Bytes in the file (`written`) and in batches not yet written to it. */
  let written = options.validBytes ?? size;
  let bytes = written;
  let pending = newBatch();
  /** Batches closed by a rewrite (the lines its records already hold), written before `pending`. */
  const sealed: Pending[] = [];
  let draining: Promise<void> | undefined;
  let rewriting: Promise<void> | undefined;
  /** Set while a rewrite waits for its turn: the drain then hands the turn over between two batches. */
  let turnWanted = false;
  let closed = false;
  // Batches and a rewrite's swap take turns on the file: the handle is never swapped under a batch being written.
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
    const data = batch.lines.bytes();
    batch.offset = written;
    let done = 0;
    try {
      // The write lands in the page cache in microseconds: done inline, it saves a thread-pool round trip per batch
      // and leaves the pool to the call that waits for the disk.
      while (done < data.length) done += writeSync(file.fd, data, done, data.length - done);
      sync = fsync(file);
    } catch (error) {
      sync = Promise.reject(error);
    } finally {
      written += done;
      bytes -= data.length - done; // what never reached the file is not in it
    }
    const settled: Promise<void> = sync.then(() => batch.settle(), (error: unknown) => batch.settle(error ?? new Error('fsync failed')))
      .finally(() => syncing.delete(settled));
    syncing.add(settled);
  };

  const nextBatch = (): Pending | undefined => {
    for (let batch = sealed.shift(); batch; batch = sealed.shift()) if (batch.lines.count > 0) return batch;
    if (pending.lines.count === 0) return undefined;
    const batch = pending;
    pending = newBatch(batch.lines.length);
    return batch;
  };
  const hasWork = (): boolean => pending.lines.count > 0 || sealed.some((batch) => batch.lines.count > 0);

  const drain = async (): Promise<void> => {
    // Yield once so every append issued in this turn of the event loop joins the same batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    await exclusive(async () => {
      while (hasWork() && !turnWanted) {
        // At most `inFlight` fsyncs at once: while they run the next batch gathers, and the disk (ext4's journal,
        // an SSD's queue) commits concurrent fsyncs together, so a slow fsync holds up one batch, not every one.
        while (syncing.size >= inFlight) await Promise.race(syncing);
        const batch = nextBatch();
        if (batch) flushBatch(batch);
      }
    });
    draining = undefined;
    if (hasWork()) schedule();
  };

  const schedule = (): void => {
    draining ??= drain();
  };
  /** Waits for the running fsyncs (before the file handle is swapped or closed). */
  const synced = async (): Promise<void> => {
    await Promise.all([...syncing]);
  };

  /**
   * The rewrite's work, most of it while appends go on: the records are encoded into `<path>.compact` a slice at a
   * time; then, holding the turn, the lines appended since (`after` and the batches that followed it, those already
   * written) are copied after them, the copy is fsynced and renamed over the file. Lines not yet written go to the
   * new file. A failure leaves the file as it was, with every line appended meanwhile.
   */
  const compactInto = async (records: unknown[], before: Pending, after: Pending): Promise<void> => {
    const temp = `${path}.compact`;
    const out = await open(temp, 'w');
    let replaced = false;
    try {
      let copied = 0;
      for (let i = 0; i < records.length;) {
        const lines = new LineBuffer();
        for (const end = Math.min(records.length, i + REWRITE_SLICE); i < end; i += 1) lines.add(records[i]);
        copied += await writeFully(out, lines.bytes(), copied);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      turnWanted = true;
      await exclusive(async () => {
        turnWanted = false;
        await synced();
        if (after.offset !== undefined) {
          const chunk = Buffer.allocUnsafe(Math.min(COPY_BYTES, written - after.offset));
          for (let at = after.offset; at < written;) {
            const { bytesRead } = await file.read(chunk, 0, Math.min(chunk.length, written - at), at);
            if (bytesRead === 0) throw new Error(`journal ${path} ended at byte ${at} while ${written} were written`);
            copied += await writeFully(out, chunk.subarray(0, bytesRead), copied);
            at += bytesRead;
          }
        }
        await fsync(out);
        await out.close();
        await file.close();
        try {
          await rename(temp, path);
          replaced = true;
        } finally {
          file = await open(path, 'a+'); // the old file when the rename failed, which stays whole
        }
        await syncDirectory(dirname(path));
        written = copied;
        // The sealed lines not yet written are in the records, now durable: their appends are done.
        if (sealed[0] === before) sealed.shift();
        before.settle();
        bytes = written + pending.lines.length + sealed.reduce((n, batch) => n + batch.lines.length, 0);
      });
    } finally {
      if (!replaced) {
        await out.close().catch(() => undefined);
        await rm(temp, { force: true }).catch(() => undefined);
      }
      if (hasWork()) schedule();
    }
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
      if (closed) return Promise.reject(new Error(`journal ${path} is closed`));
      if (rewriting) return Promise.reject(new Error(`journal ${path} is being rewritten already`));
      // The records stand for every line appended so far; the lines appended from now on start a batch of their own.
      const before = pending;
      sealed.push(before);
      pending = newBatch(before.lines.length);
      rewriting = compactInto(records, before, pending).finally(() => {
        rewriting = undefined;
      });
      return rewriting;
    },
    async close() {
      closed = true;
      while (draining || rewriting) await (draining ?? rewriting)!.catch(() => undefined);
      await exclusive(async () => {
        await synced();
        await file.close();
      });
    },
  };
}

/** Writes all of `data` at `position`; resolves to its length. */
async function writeFully(out: FileHandle, data: Buffer, position: number): Promise<number> {
  for (let done = 0; done < data.length;) {
    const { bytesWritten } = await out.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
  return data.length;
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
    await writeFully(out, text, 0);
    await fsync(out);
  } finally {
    await out.close();
  }
  await rename(temp, path);
  await syncDirectory(dirname(path));
  return text.length;
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
