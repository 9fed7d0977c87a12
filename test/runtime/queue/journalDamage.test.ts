/**
 * The journal damage table (issue 10, defect 5): a journal written by the queue itself, damaged on disk the way a
 * crash, a file system or a stray writer damages it, then opened again. For every kind: the queue opens, every
 * intact message is still queued (received back), every damaged stretch is reported and copied to
 * `journal.jsonl.quarantine` with its offset and reason.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { createLocalQueue, type LocalQueueOptions } from '../../../runtime/queue/localQueue.ts';
import type { JournalDamage } from '../../../runtime/queue/recoverJournal.ts';
import { webhookMessage } from '../helpers/messages.ts';

let dir: string;
const journal = (): string => join(dir, 'journal.jsonl');
const options = (extra: Partial<LocalQueueOptions> = {}): LocalQueueOptions => ({
  dir, visibilityTimeoutMs: 60_000, maxReceives: 3, retentionMs: 86_400_000, ...extra,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-damage-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

interface Line { start: number; end: number; key: string }

/** Sends `count` messages through the queue and returns each journal line's byte range and dedupe key. */
async function writtenJournal(count: number): Promise<{ data: Buffer; lines: Line[] }> {
  const queue = await createLocalQueue(options());
  for (let i = 0; i < count; i += 1) await queue.send(webhookMessage());
  await queue.close();
  const data = await readFile(journal());
  const lines: Line[] = [];
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(0x0a, start) + 1;
    const key = /"dedupeKey":"([^"]+)"/.exec(data.subarray(start, end).toString('utf8'))![1]!;
    lines.push({ start, end, key });
    start = end;
  }
  return { data, lines };
}

/** A line as the new format writes it (CRC-32 of the JSON, 8 hex digits, a space, the JSON). */
const checksummed = (record: unknown): string => {
  const json = JSON.stringify(record);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}\n`;
};

const splice = (data: Buffer, at: number, remove: number, insert: Buffer | string): Buffer =>
  Buffer.concat([data.subarray(0, at), Buffer.from(insert), data.subarray(at + remove)]);

interface Damage {
  /** The damaged journal bytes. */
  data: Buffer;
  /** Dedupe keys of the messages whose records are untouched. */
  intact: string[];
  /** Reports expected: one per damaged stretch. */
  reasons: RegExp[];
}

const ZERO_BLOCK = 4096;
const MIDDLE = 4;

/** Each damage kind as a function of the journal's bytes and line table. */
const damageKinds: Record<string, (data: Buffer, lines: Line[]) => Damage> = {
  'torn last line': (data, lines) => {
    const last = lines.at(-1)!;
    return { data: data.subarray(0, last.start + Math.floor((last.end - last.start) / 2)), intact: keysExcept(lines, [last]), reasons: [/torn tail/] };
  },
  'garbage middle send line': (data, lines) => {
    const line = lines[MIDDLE]!;
    const garbage = Buffer.from(Array.from({ length: line.end - line.start - 1 }, (_, i) => 0x80 + ((i * 37) % 120)));
    return { data: splice(data, line.start, line.end - line.start - 1, garbage), intact: keysExcept(lines, [line]), reasons: [/not JSON/] };
  },
  'half-truncated middle send line': (data, lines) => {
    const line = lines[MIDDLE]!;
    const half = Math.floor((line.end - line.start) / 2);
    return { data: splice(data, line.start + half, line.end - line.start - half - 1, ''), intact: keysExcept(lines, [line]), reasons: [/checksum mismatch|not JSON/] };
  },
  '4 KB zeroed block, block-aligned, mid-record': (data, lines) => {
    const [from, to] = [ZERO_BLOCK, 2 * ZERO_BLOCK];
    const hit = lines.filter((l) => l.end > from && l.start < to);
    return { data: splice(data, from, ZERO_BLOCK, Buffer.alloc(ZERO_BLOCK)), intact: keysExcept(lines, hit), reasons: [/zeroed bytes/] };
  },
  '4 KB zeroed block ending where a record starts': (data, lines) => {
    const next = lines.find((l) => l.start >= 2 * ZERO_BLOCK)!;
    const from = next.start - ZERO_BLOCK;
    const hit = lines.filter((l) => l.end > from && l.start < next.start);
    return { data: splice(data, from, ZERO_BLOCK, Buffer.alloc(ZERO_BLOCK)), intact: keysExcept(lines, hit), reasons: [/zeroed bytes/] };
  },
  'a null line': (data, lines) => ({
    data: splice(data, lines[MIDDLE]!.start, 0, 'null\n'), intact: keysExcept(lines, []), reasons: [/not a record: null/],
  }),
  'a send without a message': (data, lines) => ({
    data: splice(data, lines[MIDDLE]!.start, 0, checksummed({ op: 'send', id: 'no-message', at: 1 })),
    intact: keysExcept(lines, []), reasons: [/send: message is missing/],
  }),
  'a record with a bad checksum': (data, lines) => {
    const line = lines[MIDDLE]!;
    const at = data.indexOf('What deals', line.start);
    return { data: splice(data, at, 4, 'Whom'), intact: keysExcept(lines, [line]), reasons: [/checksum mismatch/] };
  },
  'an unknown record kind': (data, lines) => ({
    data: splice(data, lines[MIDDLE]!.start, 0, checksummed({ op: 'purge', id: lines[0]!.key })),
    intact: keysExcept(lines, []), reasons: [/unknown record kind: op is "purge"/],
  }),
};

function keysExcept(lines: Line[], damaged: Line[]): string[] {
  return lines.filter((l) => !damaged.includes(l)).map((l) => l.key);
}

describe('journal damage table', () => {
  it.each(Object.keys(damageKinds))('%s: every intact message still queued, the damage quarantined and reported', async (kind) => {
    const { data, lines } = await writtenJournal(40);
    const damage = damageKinds[kind]!(data, lines);
    expect(damage.intact.length).toBeGreaterThan(20); // the damage is local: most of the journal is intact
    await writeFile(journal(), damage.data);

    const reports: JournalDamage[] = [];
    const queue = await createLocalQueue(options({ onJournalDamage: (d) => reports.push(d) }));
    const queued: string[] = [];
    for (let round = 0; round < 10; round += 1) {
      const got = await queue.receive({ max: 10 });
      if (got.length === 0) break;
      queued.push(...got.map((r) => r.message.dedupeKey));
    }
    await queue.close();

    expect(queued.sort()).toEqual([...damage.intact].sort());
    expect(reports).toHaveLength(1);
    expect(reports[0]!.damaged.map((d) => d.reason)).toEqual(damage.reasons.map((r) => expect.stringMatching(r)));
    const quarantined = (await readFile(`${journal()}.quarantine`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(quarantined).toEqual(reports[0]!.damaged.map((d) => expect.objectContaining({
      offset: d.offset, reason: d.reason, raw_base64: d.raw.toString('base64'),
    })));
    expect(Buffer.from(quarantined[0]!.raw_base64 as string, 'base64').equals(damage.data.subarray(reports[0]!.damaged[0]!.offset,
      reports[0]!.damaged[0]!.offset + reports[0]!.damaged[0]!.raw.length))).toBe(true);
  });

  it('reads a journal written before checksums (plain JSON lines) without loss or reports', async () => {
    const messages = [webhookMessage(), webhookMessage()];
    await writeFile(journal(), messages.map((message, i) => `${JSON.stringify({ op: 'send', id: `m${i}`, at: Date.now(), message })}\n`).join(''));
    const reports: JournalDamage[] = [];
    const queue = await createLocalQueue(options({ onJournalDamage: (d) => reports.push(d) }));
    expect((await queue.receive({ max: 10 })).map((r) => r.message.dedupeKey).sort()).toEqual(messages.map((m) => m.dedupeKey).sort());
    await queue.close();
    expect(reports).toEqual([]);
  });

  it('does not quarantine the same damaged record twice when it is found again on the next start', async () => {
    const { data, lines } = await writtenJournal(5);
    await writeFile(journal(), splice(data, lines[2]!.start, 0, 'null\n'));
    for (let start = 0; start < 2; start += 1) await (await createLocalQueue(options())).close();
    expect((await readFile(`${journal()}.quarantine`, 'utf8')).trim().split('\n')).toHaveLength(1);
  });
});
