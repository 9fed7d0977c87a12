/**
 * Every journal owner opens through the same validated recovery (issue 10, defect 5): the webhook status store and
 * the done-set, which died on a `null` line with a bare TypeError, keep their intact records and report the rest.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStatusStore } from '../../../runtime/channels/webhook/statusStore.ts';
import { createFileDoneSet } from '../../../runtime/processing/doneSet.ts';
import type { JournalDamage } from '../../../runtime/queue/recoverJournal.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-recover-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const at = '2026-01-15T10:00:00.000Z';

describe('journal owners on a damaged journal', () => {
  it('the status store keeps every intact status and quarantines null and shapeless lines', async () => {
    const path = join(dir, 'status.jsonl');
    const line = (record: unknown): string => `${JSON.stringify(record)}\n`;
    await writeFile(path, [
      line({ id: 't1', patch: { status: 'queued', updated_at: at } }), 'null\n', line({ id: 't2' }),
      line({ id: 't1', patch: { status: 'done', response: 'answer', updated_at: at } }), line({ id: 't3', patch: { status: 'failed', updated_at: at } }),
    ].join(''));
    const reports: JournalDamage[] = [];
    const store = await createFileStatusStore(path, { onJournalDamage: (d) => reports.push(d) });
    expect(await store.get('t1')).toMatchObject({ status: 'done', response: 'answer' });
    expect(await store.get('t3')).toMatchObject({ status: 'failed' });
    expect(await store.get('t2')).toBeUndefined();
    await store.close();
    expect(reports.flatMap((r) => r.damaged.map((d) => d.reason))).toEqual(['status record: id is not a string', 'status record: patch is not an object with an updated_at']);
    expect((await readFile(`${path}.quarantine`, 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('the done-set keeps every intact key and quarantines a null line', async () => {
    const path = join(dir, 'done.jsonl');
    const now = Date.now();
    await writeFile(path, `${JSON.stringify({ key: 'a', at: now })}\nnull\n${JSON.stringify({ key: 'b', at: now })}\n`);
    const reports: JournalDamage[] = [];
    const done = await createFileDoneSet(path, { retentionMs: 60_000, onJournalDamage: (d) => reports.push(d) });
    expect([await done.has('a'), await done.has('b')]).toEqual([true, true]);
    await done.close();
    expect(reports.flatMap((r) => r.damaged.map((d) => d.offset))).toEqual([JSON.stringify({ key: 'a', at: now }).length + 1]);
  });
});
