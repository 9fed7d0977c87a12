/**
 * The journal damage kinds of issue 10 (defect 5), shared by the damage-table test and `npm run bench -- journal`:
 * a journal written by the embedded queue itself, damaged on disk the way a crash, a file system or a stray writer
 * damages it, then opened again and drained.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLocalQueue, type LocalQueueOptions } from '../../runtime/queue/localQueue.ts';
import type { JournalDamage } from '../../runtime/queue/recoverJournal.ts';
import { webhookMessage } from './messages.ts';

export interface Line { start: number; end: number; key: string }

export interface Damage {
  /** The damaged journal bytes. */
  data: Buffer;
  /** Dedupe keys of the messages whose records are untouched. */
  intact: string[];
  /** Reports expected: one per damaged stretch. */
  reasons: RegExp[];
}

export const queueOptions = (dir: string, extra: Partial<LocalQueueOptions> = {}): LocalQueueOptions => ({
  dir, visibilityTimeoutMs: 60_000, maxReceives: 3, retentionMs: 86_400_000, ...extra,
});

export const journalIn = (dir: string): string => join(dir, 'journal.jsonl');

/** Sends `count` messages through the queue and returns the journal and each line's byte range and dedupe key. */
export async function writtenJournal(dir: string, count: number): Promise<{ data: Buffer; lines: Line[] }> {
  const queue = await createLocalQueue(queueOptions(dir));
  for (let i = 0; i < count; i += 1) await queue.send(webhookMessage());
  await queue.close();
  const data = await readFile(journalIn(dir));
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

export const splice = (data: Buffer, at: number, remove: number, insert: Buffer | string): Buffer =>
  Buffer.concat([data.subarray(0, at), Buffer.from(insert), data.subarray(at + remove)]);

const keysExcept = (lines: Line[], damaged: Line[]): string[] => lines.filter((l) => !damaged.includes(l)).map((l) => l.key);

const ZERO_BLOCK = 4096;
const MIDDLE = 4;

/**
 * Each damage kind as a function of the journal's bytes and line table (40 sends, about 17 KB). The inserted records
 * are plain JSON lines, as a writer from before checksums or a hand edit leaves them: their shape is what is wrong.
 */
export const damageKinds: Record<string, (data: Buffer, lines: Line[]) => Damage> = {
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
    data: splice(data, lines[MIDDLE]!.start, 0, `${JSON.stringify({ op: 'send', id: 'no-message', at: Date.now() })}\n`),
    intact: keysExcept(lines, []), reasons: [/send: message is missing/],
  }),
  'a record with a bad checksum': (data, lines) => {
    const line = lines[MIDDLE]!;
    const at = data.indexOf('What deals', line.start);
    return { data: splice(data, at, 4, 'Whom'), intact: keysExcept(lines, [line]), reasons: [/checksum mismatch/] };
  },
  'an unknown record kind': (data, lines) => ({
    data: splice(data, lines[MIDDLE]!.start, 0, `${JSON.stringify({ op: 'purge', id: lines[0]!.key })}\n`),
    intact: keysExcept(lines, []), reasons: [/unknown record kind: op is "purge"/],
  }),
};

export interface Reopened {
  /** Dedupe keys received back from the reopened queue. */
  queued: string[];
  reports: JournalDamage[];
}

/** Writes the damaged bytes, opens the queue on them and receives everything still queued (bounded). */
export async function reopenDamaged(dir: string, damage: Damage): Promise<Reopened> {
  await writeFile(journalIn(dir), damage.data);
  const reports: JournalDamage[] = [];
  const queue = await createLocalQueue(queueOptions(dir, { onJournalDamage: (d) => reports.push(d) }));
  const queued: string[] = [];
  for (let round = 0; round < 10; round += 1) {
    const got = await queue.receive({ max: 10 });
    if (got.length === 0) break;
    queued.push(...got.map((r) => r.message.dedupeKey));
  }
  await queue.close();
  return { queued, reports };
}

export interface DamageRow {
  kind: string;
  intact: number;
  recovered: number;
  /** Damaged records replayed as if they were intact (their messages received back). */
  accepted: number;
  /** Reports of damaged stretches (onJournalDamage) and entries in the quarantine file. */
  reported: number;
  quarantined: number;
  /** undefined when the queue opened; else the error it failed with. */
  startupError?: string;
}

/** One row per damage kind, each on a fresh folder under `scratch` (for the bench's table; the test asserts the same). */
export async function damageTable(scratch: (kind: string) => Promise<string>): Promise<DamageRow[]> {
  const rows: DamageRow[] = [];
  for (const [kind, damageOf] of Object.entries(damageKinds)) {
    const dir = await scratch(kind);
    const { data, lines } = await writtenJournal(dir, 40);
    const damage = damageOf(data, lines);
    const row: DamageRow = { kind, intact: damage.intact.length, recovered: 0, accepted: 0, reported: 0, quarantined: 0 };
    try {
      const { queued, reports } = await reopenDamaged(dir, damage);
      row.recovered = damage.intact.filter((k) => queued.includes(k)).length;
      row.accepted = queued.filter((k) => !damage.intact.includes(k)).length;
      row.reported = reports.reduce((n, r) => n + r.damaged.length, 0);
    } catch (error) {
      row.startupError = `${(error as Error).name}: ${(error as Error).message}`;
    }
    row.quarantined = (await readFile(`${journalIn(dir)}.quarantine`, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
    rows.push(row);
  }
  return rows;
}
