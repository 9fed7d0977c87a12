import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../infra/cli/revops.ts';
import { createLocalQueue } from '../../../runtime/queue/localQueue.ts';
import { webhookMessage } from '../../support/messages.ts';
import { captureIO } from './tempProject.ts';

let dataDir: string;
const queueDir = (): string => join(dataDir, 'queue', 'webhook');
const journal = (): string => join(queueDir(), 'journal.jsonl');
const openQueue = () => createLocalQueue({ dir: queueDir(), visibilityTimeoutMs: 60_000, maxReceives: 3, retentionMs: 86_400_000 });
const revops = async (...args: string[]) => {
  const io = captureIO(dataDir);
  const code = await main(['queue', ...args, '--data-dir', dataDir], io);
  return { code, out: io.out.join('\n'), err: io.err.join('\n') };
};

/** Five messages sent, then a `null` line after the second and a torn half-record at the end. */
async function damagedJournal(): Promise<string[]> {
  const queue = await openQueue();
  for (let i = 0; i < 5; i += 1) await queue.send(webhookMessage());
  await queue.close();
  const lines = (await readFile(journal(), 'utf8')).split('\n').filter(Boolean);
  await writeFile(journal(), `${[...lines.slice(0, 2), 'null', ...lines.slice(2)].join('\n')}\n{"op":"send","id":"tor`);
  return lines;
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'revops-queue-cli-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

describe('revops queue with a data dir that is a file', () => {
  it('says so with the option it came from and exits 2, instead of reporting no journals', async () => {
    const file = join(dataDir, 'afile');
    await writeFile(file, '');
    const io = captureIO(dataDir);
    const code = await main(['queue', 'check', '--data-dir', file], io);
    expect(code).toBe(2);
    expect(io.err.join('\n')).toContain(`--data-dir: '${file}' is a file, not a folder`);
    expect(io.out.join('\n')).not.toContain('no journals');
  });
});

describe('revops queue check', () => {
  it('reports an intact journal and exits 0', async () => {
    const queue = await openQueue();
    await queue.send(webhookMessage());
    await queue.close();
    const { code, out } = await revops('check');
    expect(out).toContain('queue/webhook/journal.jsonl: 1 records, 1 intact, 0 damaged; 0 quarantined so far');
    expect(code).toBe(0);
  });

  it('lists every damaged record with its offset and reason, and what start-up quarantined, and exits 1', async () => {
    const lines = await damagedJournal();
    const nullAt = Buffer.byteLength(`${lines[0]}\n${lines[1]}\n`);
    const first = await revops('check');
    expect(first.code).toBe(1);
    expect(first.out).toContain('queue/webhook/journal.jsonl: 7 records, 5 intact, 2 damaged; 0 quarantined so far');
    expect(first.out).toContain(`offset ${nullAt} (4 bytes): not a record: null`);
    expect(first.out).toMatch(/offset \d+ \(22 bytes\): torn tail/);
    await (await openQueue()).close(); // a start quarantines both, then truncates the torn tail
    const second = await revops('check');
    expect(second.out).toContain('6 records, 5 intact, 1 damaged; 2 quarantined so far');
    expect(second.code).toBe(1);
  });
});

describe('revops queue repair', () => {
  it('quarantines the damaged records, rewrites the journal with the intact ones, and check then passes', async () => {
    await damagedJournal();
    const repaired = await revops('repair');
    expect(repaired).toMatchObject({ code: 0, out: expect.stringContaining('rewritten with its 5 intact records; 2 damaged record(s)') });
    expect(await revops('check')).toMatchObject({ code: 0, out: expect.stringContaining('5 records, 5 intact, 0 damaged; 2 quarantined so far') });
    const quarantined = (await readFile(`${journal()}.quarantine`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { reason: string });
    expect(quarantined.map((q) => q.reason)).toEqual([expect.stringMatching(/not a record/), expect.stringMatching(/torn tail/)]);
    expect((await readdir(queueDir())).sort()).toEqual(['journal.jsonl', 'journal.jsonl.quarantine']); // no temp file, lock released
    const queue = await openQueue();
    expect(await queue.receive({ max: 10 })).toHaveLength(5);
    await queue.close();
  });

  it('refuses while another live process holds the queue, and changes nothing (check names the process)', async () => {
    await damagedJournal();
    const before = await readFile(journal());
    await writeFile(join(queueDir(), 'lock'), String(process.ppid));
    const refused = await revops('repair');
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`in use by another revops process (PID ${process.ppid})`);
    expect((await readFile(journal())).equals(before)).toBe(true);
    expect((await revops('check')).out).toContain(`in use by PID ${process.ppid}, a torn tail may be a write in progress`);
  });

  it('takes over the lock of a process that is gone', async () => {
    await damagedJournal();
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(join(queueDir(), 'lock'), String(gone));
    expect((await revops('repair')).code).toBe(0);
  });
});
