/**
 * Journal lines as the bytes that are written: `<crc32 of the JSON, 8 hex digits> <JSON>\n`, encoded straight into
 * one growing buffer per batch (or per rewrite). An append is one `JSON.stringify` and one UTF-8 encode into place:
 * no buffer per line, and no copy to join a batch's lines before the write (issue 16: on the webhook accept path the
 * per-line buffers and the join were as costly as the JSON itself).
 */
import { crc32 } from 'node:zlib';

const NEWLINE = 0x0a;
const SPACE = 0x20;
/** Prefix, separator and newline around the JSON. */
const FRAME_BYTES = 10;
/** Below Node's pool cut-off (half of `Buffer.poolSize`), so a small batch's buffer is a slice of the shared pool. */
const MIN_BYTES = 2 * 1024;

export const checksum = (data: string | Uint8Array): string => crc32(data).toString(16).padStart(8, '0');

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

export class LineBuffer {
  private buffer: Buffer;
  /** Bytes of whole lines so far. */
  length = 0;
  /** Lines so far. */
  count = 0;

  /** `expectedBytes`: what the lines will likely take (a journal passes its last batch's size), to grow less often. */
  constructor(expectedBytes = 0) {
    this.buffer = Buffer.allocUnsafe(Math.max(MIN_BYTES, expectedBytes));
  }

  /** Appends one record's line; throws, and appends nothing, when the record cannot be serialised. */
  add(record: unknown): void {
    const json = JSON.stringify(record);
    if (json === undefined) throw new TypeError('a journal record must serialise to JSON');
    // A UTF-16 unit is at most three bytes of UTF-8, so the line fits once this much is free.
    this.reserve(json.length * 3 + FRAME_BYTES);
    const start = this.length;
    const bytes = this.buffer.write(json, start + 9, 'utf8');
    // The checksum's eight hex digits written in place: no string for them on every append.
    let crc = crc32(this.buffer.subarray(start + 9, start + 9 + bytes));
    for (let digit = start + 7; digit >= start; digit -= 1, crc >>>= 4) this.buffer[digit] = HEX_DIGITS[crc & 15]!;
    this.buffer[start + 8] = SPACE;
    this.buffer[start + 9 + bytes] = NEWLINE;
    this.length = start + bytes + FRAME_BYTES;
    this.count += 1;
  }

  /** The lines so far (a view: valid until the next `add`). */
  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }

  private reserve(free: number): void {
    if (this.buffer.length - this.length >= free) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.length + free));
    this.buffer.copy(grown, 0, 0, this.length);
    this.buffer = grown;
  }
}

/** One record's line as text (tests, benches). */
export function encodeRecord(record: unknown): string {
  const line = new LineBuffer();
  line.add(record);
  return line.bytes().toString('utf8');
}
