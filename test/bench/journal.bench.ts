/**
 * The journal (issue 10, defect 5): the damage table (every damage kind of test/support/journalDamage.ts:
 * intact records recovered, damaged ones reported and quarantined, start-up ok) and what checksums cost on replay —
 * reading a checksummed journal against the same records as plain JSON lines (the old format, no checksum to
 * verify), measured in the same run.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchPart } from './run.ts';
import { encodeRecord, readJournal } from '../../runtime/queue/journal.ts';
import { journalRecordProblem } from '../../runtime/queue/journalRecordCheck.ts';
import { damageTable } from '../support/journalDamage.ts';
import { webhookMessage } from '../support/messages.ts';

const RECORDS = 50_000;
const ROUNDS = 5;

/** Best time of each reader over interleaved rounds, so warm-up and a busy machine weigh on both alike. */
async function bestOf(readers: Array<() => Promise<unknown>>): Promise<number[]> {
  const best = readers.map(() => Infinity);
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [i, read] of readers.entries()) {
      const started = performance.now();
      await read();
      best[i] = Math.min(best[i]!, performance.now() - started);
    }
  }
  return best;
}

export const part: BenchPart = {
  order: 7,
  title: 'journal: damage table, replay cost of checksums',
  async run(log) {
    const root = await mkdtemp(join(tmpdir(), 'revops-journal-bench-'));
    try {
      let n = 0;
      const rows = await damageTable(async () => join(root, `kind-${(n += 1)}`));
      log('kind | intact records | recovered | damaged replayed as intact | damaged reported | quarantined | start-up');
      for (const r of rows) {
        log(`${r.kind} | ${r.intact} | ${r.recovered} | ${r.accepted} | ${r.reported} | ${r.quarantined} | ${r.startupError ?? 'ok'}`);
      }

      const records = Array.from({ length: RECORDS }, (_, i) => ({ op: 'send', id: `m${i}`, at: Date.now(), message: webhookMessage() }));
      const checksummed = join(root, 'checksummed.jsonl');
      const plain = join(root, 'plain.jsonl');
      await writeFile(checksummed, records.map(encodeRecord).join(''));
      await writeFile(plain, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      const [plainMs, checkedMs] = await bestOf([
        () => readJournal(plain, journalRecordProblem), () => readJournal(checksummed, journalRecordProblem),
      ]) as [number, number];
      log(`replay of ${RECORDS.toLocaleString('en-US')} send records, best of ${ROUNDS}: plain JSON lines ${plainMs.toFixed(0)} ms (baseline), ` +
        `checksummed ${checkedMs.toFixed(0)} ms = ${(checkedMs / plainMs).toFixed(2)} x`);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  },
};
