/**
 * Journal lines encoded into one growing buffer (runtime/queue/journalLines.ts): each line is the CRC-32 of its JSON
 * bytes, a space, the JSON and a newline, whatever the characters and however often the buffer grows; a record that
 * cannot be serialised adds nothing; and what the journal writes reads back whole.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LineBuffer } from '../../../runtime/queue/journalLines.ts';
import { openJournal, readJournal } from '../../../runtime/queue/journal.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-lines-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const lines = (buffer: LineBuffer): string[] => buffer.bytes().toString('utf8').split('\n').slice(0, -1);

describe('journal lines', () => {
  it('frames each record as its JSON bytes\' CRC-32, a space and the JSON, across growth and multi-byte text', () => {
    const records = Array.from({ length: 400 }, (_, i) => ({ i, text: `${'å'.repeat(i % 7)}€😀 ${'x'.repeat(i * 13)}` }));
    const buffer = new LineBuffer();
    for (const record of records) buffer.add(record);
    expect(buffer.count).toBe(400);
    expect(buffer.length).toBe(buffer.bytes().length);
    const written = lines(buffer);
    expect(written).toHaveLength(400);
    written.forEach((line, i) => {
      const json = line.slice(9);
      expect(JSON.parse(json)).toEqual(records[i]);
      expect(line.slice(0, 9)).toBe(`${crc32(Buffer.from(json, 'utf8')).toString(16).padStart(8, '0')} `);
    });
  });

  it('adds nothing for a record that cannot be serialised, and goes on with the next', () => {
    const buffer = new LineBuffer();
    buffer.add({ a: 1 });
    const before = buffer.bytes().toString('utf8');
    expect(() => buffer.add(undefined)).toThrow(/serialise to JSON/);
    expect(() => buffer.add({ big: 1n })).toThrow(TypeError);
    expect(buffer.bytes().toString('utf8')).toBe(before);
    buffer.add({ b: 2 });
    expect(lines(buffer).map((l) => JSON.parse(l.slice(9)))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('reads back whole what a journal wrote in batches and what a rewrite replaced it with', async () => {
    const path = join(dir, 'j.jsonl');
    await writeFile(path, '');
    const journal = await openJournal(path, { fsync: async () => {} });
    const big = 'ü'.repeat(5_000);
    await Promise.all(Array.from({ length: 50 }, (_, i) => journal.append({ i, big })));
    await expect(journal.append(undefined)).rejects.toThrow(/serialise/);
    await journal.append({ after: true });
    const read = await readJournal(path, () => undefined);
    expect(read.damaged).toEqual([]);
    expect(read.records).toHaveLength(51);
    expect(journal.bytes).toBe(read.validBytes);
    await journal.rewrite([{ kept: 'ß' }]);
    await journal.append({ next: 1 });
    expect((await readJournal(path, () => undefined)).records).toEqual([{ kept: 'ß' }, { next: 1 }]);
    await journal.close();
  });
});
