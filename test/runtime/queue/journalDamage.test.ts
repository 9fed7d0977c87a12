/**
 * The journal damage table (issue 10, defect 5): for every damage kind (helpers/journalDamage.ts) the queue opens,
 * every intact message is still queued (received back), every damaged stretch is reported and copied to
 * `journal.jsonl.quarantine` with its offset, reason and raw bytes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalQueue } from '../../../runtime/queue/localQueue.ts';
import type { JournalDamage } from '../../../runtime/queue/recoverJournal.ts';
import { webhookMessage } from '../../support/messages.ts';
import { damageKinds, journalIn, queueOptions, reopenDamaged, splice, writtenJournal } from '../../support/journalDamage.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-damage-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('journal damage table', () => {
  it.each(Object.keys(damageKinds))('%s: every intact message still queued, the damage quarantined and reported', async (kind) => {
    const { data, lines } = await writtenJournal(dir, 40);
    const damage = damageKinds[kind]!(data, lines);
    expect(damage.intact.length).toBeGreaterThan(25); // the damage is local: most of the journal is intact

    const { queued, reports } = await reopenDamaged(dir, damage);

    expect(queued.sort()).toEqual([...damage.intact].sort());
    expect(reports).toHaveLength(1);
    const [{ damaged }] = reports as [JournalDamage];
    expect(damaged.map((d) => d.reason)).toEqual(damage.reasons.map((r) => expect.stringMatching(r)));
    const quarantined = (await readFile(`${journalIn(dir)}.quarantine`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(quarantined).toEqual(damaged.map((d) => expect.objectContaining({ offset: d.offset, reason: d.reason, raw_base64: d.raw.toString('base64') })));
    const [first] = damaged;
    expect(first!.raw.equals(damage.data.subarray(first!.offset, first!.offset + first!.raw.length))).toBe(true);
  });

  it('reads a journal written before checksums (plain JSON lines) without loss or reports', async () => {
    const messages = [webhookMessage(), webhookMessage()];
    await writeFile(journalIn(dir), messages.map((message, i) => `${JSON.stringify({ op: 'send', id: `m${i}`, at: Date.now(), message })}\n`).join(''));
    const reports: JournalDamage[] = [];
    const queue = await createLocalQueue(queueOptions(dir, { onJournalDamage: (d) => reports.push(d) }));
    expect((await queue.receive({ max: 10 })).map((r) => r.message.dedupeKey).sort()).toEqual(messages.map((m) => m.dedupeKey).sort());
    await queue.close();
    expect(reports).toEqual([]);
  });

  it('does not quarantine the same damaged record twice when it is found again on the next start', async () => {
    const { data, lines } = await writtenJournal(dir, 5);
    await writeFile(journalIn(dir), splice(data, lines[2]!.start, 0, 'null\n'));
    for (let start = 0; start < 2; start += 1) await (await createLocalQueue(queueOptions(dir))).close();
    expect((await readFile(`${journalIn(dir)}.quarantine`, 'utf8')).trim().split('\n')).toHaveLength(1);
  });
});
