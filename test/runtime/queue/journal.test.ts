/**
 * The journal's group commit with fsyncs in flight side by side: a batch is answered by its own fsync, which starts
 * only after the batch's bytes are written, and no earlier; the next batch is written and synced while the previous
 * fsync still runs, up to the limit; a failed fsync fails its own batch only. A rewrite lets appends go on, keeps
 * every line appended after it was asked for, leaves the file as it was when it fails, and finishes before a close.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournal } from '../../../runtime/queue/journal.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-journal-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

/** An fsync each call of which waits until the test finishes it, noting what the file held when it was called. */
function heldFsync(path: string) {
  const calls: Array<{ fileAtCall: string; finish: (error?: Error) => void }> = [];
  let opening = true;
  const fsync = async (file: FileHandle): Promise<void> => {
    if (opening) return file.datasync(); // the open's own truncate/sync, before the test starts
    const fileAtCall = await readFile(path, 'utf8');
    await new Promise<void>((resolve, reject) => calls.push({ fileAtCall, finish: (error) => (error ? reject(error) : resolve()) }));
    await file.datasync();
  };
  return { fsync, calls, started: () => { opening = false; } };
}

const settledState = (promise: Promise<void>) => {
  const state = { value: 'pending' as 'pending' | 'resolved' | 'rejected' };
  promise.then(() => (state.value = 'resolved'), () => (state.value = 'rejected'));
  return state;
};

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
};

describe('journal group commit', () => {
  it('writes and syncs the next batch while the previous fsync runs; each batch resolves on its own fsync', async () => {
    const path = join(dir, 'j.jsonl');
    const held = heldFsync(path);
    const journal = await openJournal(path, { fsync: held.fsync, fsyncsInFlight: 2 });
    held.started();
    const first = settledState(journal.append({ n: 1 }));
    await until(() => held.calls.length === 1);
    const second = settledState(journal.append({ n: 2 }));
    const third = settledState(journal.append({ n: 3 }));
    await until(() => held.calls.length === 2);
    // Each fsync started after its batch was written: the second saw records 2 and 3 on file.
    expect(held.calls[0]!.fileAtCall).toContain('{"n":1}');
    expect(held.calls[0]!.fileAtCall).not.toContain('{"n":2}');
    expect(held.calls[1]!.fileAtCall).toContain('{"n":3}');

    // The limit holds: a fourth append waits for a free slot before it is synced.
    const fourth = settledState(journal.append({ n: 4 }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(held.calls).toHaveLength(2);

    held.calls[1]!.finish();
    await until(() => second.value === 'resolved' && third.value === 'resolved');
    expect(first.value).toBe('pending'); // not answered by another batch's fsync
    await until(() => held.calls.length === 3);
    held.calls[0]!.finish();
    held.calls[2]!.finish();
    await until(() => first.value === 'resolved' && fourth.value === 'resolved');
    await journal.close();
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(4);
  });

  it('fails only the batch whose fsync failed', async () => {
    const path = join(dir, 'j.jsonl');
    const held = heldFsync(path);
    const journal = await openJournal(path, { fsync: held.fsync, fsyncsInFlight: 2 });
    held.started();
    const first = journal.append({ n: 1 });
    await until(() => held.calls.length === 1);
    const second = journal.append({ n: 2 });
    await until(() => held.calls.length === 2);
    held.calls[0]!.finish(new Error('EIO: the disk failed'));
    held.calls[1]!.finish();
    await expect(first).rejects.toThrow('EIO');
    await expect(second).resolves.toBeUndefined();
    await journal.close();
  });

  it('with one fsync in flight, the next batch waits for it and gathers everything appended meanwhile', async () => {
    const path = join(dir, 'j.jsonl');
    const held = heldFsync(path);
    const journal = await openJournal(path, { fsync: held.fsync, fsyncsInFlight: 1 });
    held.started();
    const first = journal.append({ n: 1 });
    await until(() => held.calls.length === 1);
    const rest = Array.from({ length: 10 }, (_, i) => journal.append({ n: i + 2 }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(held.calls).toHaveLength(1);
    held.calls[0]!.finish();
    await first;
    await until(() => held.calls.length === 2);
    expect(held.calls[1]!.fileAtCall.trim().split('\n')).toHaveLength(11);
    held.calls[1]!.finish();
    await Promise.all(rest);
    await journal.close();
  });

  it('a rewrite waits for the fsyncs in flight and keeps every record', async () => {
    const path = join(dir, 'j.jsonl');
    const held = heldFsync(path);
    const journal = await openJournal(path, { fsync: held.fsync, fsyncsInFlight: 2 });
    held.started();
    const first = settledState(journal.append({ n: 1 }));
    await until(() => held.calls.length === 1);
    const rewritten = settledState(journal.rewrite([{ n: 1 }, { n: 'kept' }]));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(rewritten.value).toBe('pending');
    held.calls[0]!.finish();
    await until(() => first.value === 'resolved');
    await until(() => held.calls.length === 2); // the rewrite's own temp-file fsync
    held.calls[1]!.finish();
    await until(() => rewritten.value === 'resolved');
    await journal.close();
    expect(await readFile(path, 'utf8')).toContain('"kept"');
  });

  it('keeps every line appended after a rewrite was asked for, and lets appends go on while it runs', async () => {
    const path = join(dir, 'j.jsonl');
    const held = heldFsync(path);
    const journal = await openJournal(path, { fsync: held.fsync, fsyncsInFlight: 1 });
    held.started();
    const a = settledState(journal.append({ n: 'a' }));
    await until(() => held.calls.length === 1);
    const b = settledState(journal.append({ n: 'b' })); // waits for the one fsync slot
    await new Promise((resolve) => setTimeout(resolve, 10));
    // The records stand for a and b; c comes after the call.
    const rewritten = settledState(journal.rewrite([{ n: 'a' }, { n: 'b' }, { n: 'snapshot' }]));
    const c = settledState(journal.append({ n: 'c' }));
    // Each fsync is let go as it comes: a's, b's, the rewrite's copy, then c's in the new file.
    let finished = 0;
    const settled = () => rewritten.value !== 'pending' && c.value !== 'pending';
    while (!settled()) {
      await until(() => held.calls.length > finished || settled());
      if (held.calls.length > finished) held.calls[finished++]!.finish();
    }
    expect([a.value, b.value, c.value, rewritten.value]).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
    const d = settledState(journal.append({ n: 'd' }));
    await until(() => held.calls.length > finished);
    held.calls[finished++]!.finish();
    await until(() => d.value === 'resolved');
    await journal.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l.slice(9)) as { n: string }).n);
    expect(lines.slice(0, 3)).toEqual(['a', 'b', 'snapshot']);
    expect(lines.slice(3)).toEqual(['c', 'd']);
  });

  it('leaves the file as it was, with the lines appended meanwhile, when a rewrite fails', async () => {
    const path = join(dir, 'j.jsonl');
    const journal = await openJournal(path, { fsync: async () => {} });
    await journal.append({ n: 1 });
    const failing = journal.rewrite([{ n: 1 }, { bad: 1n }]);
    const meanwhile = journal.append({ n: 2 });
    await expect(failing).rejects.toThrow(TypeError);
    await meanwhile;
    await journal.append({ n: 3 });
    await journal.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l.slice(9)) as { n: number }).n);
    expect(lines).toEqual([1, 2, 3]);
    await expect(readFile(`${path}.compact`)).rejects.toThrow(/ENOENT/);
  });

  it('closes only once a rewrite under way has finished, and refuses a second one meanwhile', async () => {
    const path = join(dir, 'j.jsonl');
    const journal = await openJournal(path, { fsync: async () => {} });
    await journal.append({ n: 0 });
    const records = Array.from({ length: 10_000 }, (_, n) => ({ n })); // several slices, so it yields
    const rewritten = journal.rewrite(records);
    await expect(journal.rewrite([])).rejects.toThrow(/being rewritten/);
    const after = journal.append({ n: 'after' });
    await journal.close();
    await rewritten;
    await after;
    await expect(journal.append({ n: 'late' })).rejects.toThrow(/closed/);
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(10_001);
    expect(JSON.parse(lines.at(-1)!.slice(9))).toEqual({ n: 'after' });
  });
});
