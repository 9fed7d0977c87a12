/**
 * Acceptance is durable at the moment of the 200 (issue 16): the real server (`revops serve`) takes a burst of
 * concurrent webhook requests — its journal group-commits them with several fsyncs in flight — and is killed with
 * SIGKILL as soon as the first answers are back, while the rest are still being written. Started again, it must
 * know every request it answered 200 for (its status reads back to the caller that sent it) and answer each one;
 * requests that got no answer may or may not have been taken, but none is answered twice.
 */
import { spawnServe, type ServeProcess } from '../support/serveProcess.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReceiver, type Receiver } from '../support/receiver.ts';

// The spec allows 60 requests per minute per caller: 40 callers for up to 1,000 requests.
const keys = Array.from({ length: 40 }, (_, i) => `accept-kill-key-${String(i).padStart(12, '0')}`);
const SENDERS = 32;
const MAX_REQUESTS = 1000;
const KILL_AFTER = 40;

let dataDir: string;
let receiver: Receiver;
let child: ChildProcess | undefined;

const startServer = (consume: boolean): Promise<ServeProcess> => spawnServe({
  REVOPS_DATA_DIR: dataDir, REVOPS_ENGINE: 'offline', REVOPS_CONCURRENCY: '8', WEBHOOK_API_KEYS: keys.join(','),
  // The first server only accepts: every request it took is still queued when it dies.
  ...(consume ? { WEBHOOK_URL: receiver.url } : { WEBHOOK_URL: 'http://127.0.0.1:9/unreachable', REVOPS_CONCURRENCY: '1' }),
  REVOPS_LOG_LEVEL: 'error',
}, (proc) => { child = proc; });

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'revops-accept-kill-'));
  receiver = await startReceiver();
});
afterAll(async () => {
  // The server writes its journals until it has exited; the folder goes only after that.
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await receiver.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('acceptance across a SIGKILL', () => {
  it('every request answered 200 before the kill is known and answered after the restart', { timeout: 300_000 }, async () => {
    const first = await startServer(false);
    const accepted: Array<{ id: string; key: string }> = [];
    const exited = new Promise((r) => first.process.once('exit', (_code, signal) => r(signal)));
    let sent = 0;
    // Each sender keeps one request in flight until the server is gone: its last request gets no answer.
    const sender = async (): Promise<void> => {
      while (sent < MAX_REQUESTS) {
        const n = sent++;
        const key = keys[n % keys.length]!;
        let res: Response;
        try {
          res = await fetch(`${first.url}/webhook`, {
            method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
            body: JSON.stringify({ query: `What is the status of the IXIS deal? (${n})`, source_system: 'kill_test' }),
          });
          expect(res.status).toBe(200);
          accepted.push({ id: ((await res.json()) as { tracking_id: string }).tracking_id, key });
        } catch (error) {
          if ((error as { name?: string }).name === 'AssertionError') throw error;
          return; // the connection died with the server: this request got no answer
        }
        if (accepted.length === KILL_AFTER) first.process.kill('SIGKILL');
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, sender));
    expect(await exited).toBe('SIGKILL');
    const known = [...accepted];
    expect(known.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(known.length).toBeLessThan(sent); // the kill came while requests were still arriving

    const second = await startServer(true);
    for (const { id, key } of known) {
      const res = await fetch(`${second.url}/webhook/${id}`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { tracking_id: string }).tracking_id).toBe(id);
    }
    const delivered = (): Set<string> => new Set(receiver.accepted().map((b) => b.tracking_id as string));
    await receiver.waitFor(() => known.every(({ id }) => delivered().has(id)), 240_000);
    const counts = new Map<string, number>();
    for (const body of receiver.accepted()) counts.set(body.tracking_id as string, (counts.get(body.tracking_id as string) ?? 0) + 1);
    expect([...counts.values()].filter((n) => n > 1)).toEqual([]);
    second.process.kill('SIGTERM');
  });
});
