/**
 * A damaged journal end to end (issue 10, defect 5): the real server (`revops serve`, offline engine) starts on a
 * data dir whose webhook queue journal has a `null` line, a garbage line and a torn tail and whose status journal has
 * a `null` line. It must start, deliver every intact message, say what it quarantined, and count it in /healthz and
 * /metrics; `revops queue repair` is refused while it runs and cleans the journals once it has stopped.
 */
import { REPO_ROOT, spawnServe, type ServeProcess } from './helpers/serveProcess.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalQueue } from '../../runtime/queue/localQueue.ts';
import { startReceiver, type Receiver } from './helpers/receiver.ts';
import { webhookMessage } from './helpers/messages.ts';

const root = REPO_ROOT;
const cli = join(root, 'infra/cli/revops.mjs');
const KEY = 'journal-key-aaaaaaaaaaaa';

let dataDir: string;
let receiver: Receiver;
let server: ChildProcess | undefined;

const env = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH, HOME: process.env.HOME, REVOPS_DATA_DIR: dataDir, REVOPS_ENGINE: 'offline',
  WEBHOOK_API_KEYS: KEY, WEBHOOK_URL: receiver.url, REVOPS_LOG_LEVEL: 'error',
});

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  const proc = spawn(process.execPath, [cli, ...args], { cwd: root, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr.on('data', (c: Buffer) => { out += c.toString(); });
  return new Promise((done) => proc.once('exit', (code) => done({ code, out })));
}

function startServer(): Promise<ServeProcess> {
  return spawnServe(env(), (proc) => { server = proc; });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'revops-journal-'));
  receiver = await startReceiver();
});
afterAll(async () => {
  if (server && server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
  await receiver.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a damaged journal at start-up', () => {
  it('starts, delivers every intact message, reports the quarantine in /healthz and /metrics; repair waits for the stop', { timeout: 180_000 }, async () => {
    const journal = join(dataDir, 'queue', 'webhook', 'journal.jsonl');
    const queue = await createLocalQueue({ dir: join(dataDir, 'queue', 'webhook'), visibilityTimeoutMs: 60_000, maxReceives: 3, retentionMs: 86_400_000 });
    const messages = Array.from({ length: 6 }, () => webhookMessage({ text: 'What is the status of the IXIS deal?' }));
    for (const m of messages) await queue.send(m);
    await queue.close();
    const lines = (await readFile(journal, 'utf8')).split('\n').filter(Boolean);
    await writeFile(journal, `${[...lines.slice(0, 2), 'null', ...lines.slice(2, 4), '\u0001garbage\u0002', ...lines.slice(4)].join('\n')}\n{"op":"se`);
    await mkdir(join(dataDir, 'webhook'), { recursive: true });
    await writeFile(join(dataDir, 'webhook', 'status.jsonl'), 'null\n');

    const { url, output } = await startServer();
    expect(output()).toContain('quarantined 3 damaged record(s) of queue/webhook/journal.jsonl');
    expect(output()).toContain('quarantined 1 damaged record(s) of webhook/status.jsonl');
    await receiver.waitFor(() => receiver.accepted().length >= messages.length, 120_000);
    expect(receiver.accepted().map((b) => b.tracking_id).sort()).toEqual(messages.map((m) => m.webhook.trackingId).sort());

    const health = (await (await fetch(`${url}/healthz`)).json()) as { journals: unknown };
    expect(health.journals).toEqual({ quarantined: 4, by_journal: { 'queue/webhook/journal.jsonl': 3, 'webhook/status.jsonl': 1 } });
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('revops_journal_records_quarantined_total{source="queue/webhook/journal.jsonl"} 3');
    expect(metrics).toContain('revops_journal_records_quarantined_total{source="webhook/status.jsonl"} 1');

    const refused = await run(['queue', 'repair']);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`PID ${server!.pid}`);

    const stopped = new Promise((done) => server!.once('exit', done));
    server!.kill('SIGTERM');
    await stopped;
    expect((await run(['queue', 'check'])).code).toBe(1); // the null and the garbage line are still in the journal
    expect((await run(['queue', 'repair'])).code).toBe(0);
    const healthy = await run(['queue', 'check']);
    expect(healthy.out).toContain('0 damaged; 3 quarantined so far');
    expect(healthy.code).toBe(0);
  });
});
