/**
 * The crash test (issue 5): the real server (`revops serve`, offline engine, sample warehouse in a temp data dir)
 * accepts 200 webhook requests, is killed with SIGKILL while answering them, and is started again: every request is
 * answered, none twice.
 *
 * One window no sender can close is held shut on purpose: a receiver that answered 200 to a sender that died before
 * reading it (receivers dedupe by tracking_id for that). The receiver therefore stops answering just before the
 * kill; deliveries in flight at that moment see no answer, and the test measures the server's own guarantees:
 * durable acceptance, redelivery of in-flight work, and no second delivery of anything it recorded as delivered.
 */
import { spawnServe, type ServeProcess } from '../support/serveProcess.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReceiver, type Receiver } from '../support/receiver.ts';

const keys = ['crash-key-aaaaaaaaaaaa', 'crash-key-bbbbbbbbbbbb', 'crash-key-cccccccccccc', 'crash-key-dddddddddddd'];
const TOTAL = 200;

let dataDir: string;
let receiver: Receiver;
let child: ChildProcess | undefined;

function startServer(): Promise<ServeProcess> {
  return spawnServe({
    REVOPS_DATA_DIR: dataDir, REVOPS_ENGINE: 'offline', REVOPS_CONCURRENCY: '8',
    // The spec allows 60 requests per minute per caller: four keys for 200 requests.
    WEBHOOK_API_KEYS: keys.join(','), WEBHOOK_URL: receiver.url, REVOPS_LOG_LEVEL: 'error',
  }, (proc) => { child = proc; });
}

const successes = (): Map<string, number> => {
  const byId = new Map<string, number>();
  for (const body of receiver.accepted()) byId.set(body.tracking_id as string, (byId.get(body.tracking_id as string) ?? 0) + 1);
  return byId;
};

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'revops-crash-'));
  receiver = await startReceiver();
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await receiver.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('crash recovery', () => {
  it('answers all 200 accepted requests exactly once across a SIGKILL mid-processing', { timeout: 300_000 }, async () => {
    const first = await startServer();
    const questions = ['What is the status of the IXIS deal?', 'Assess John Smith from DataCorp', 'What deals are closing this quarter?'];
    const trackingIds: string[] = [];
    for (let batch = 0; batch < TOTAL; batch += 20) {
      const responses = await Promise.all(Array.from({ length: 20 }, async (_, i) => {
        const n = batch + i;
        const res = await fetch(`${first.url}/webhook`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${keys[n % keys.length]}` },
          body: JSON.stringify({ query: questions[n % questions.length], source_system: 'crash_test' }),
        });
        expect(res.status).toBe(200);
        return ((await res.json()) as { tracking_id: string }).tracking_id;
      }));
      trackingIds.push(...responses);
    }
    expect(new Set(trackingIds).size).toBe(TOTAL);

    await receiver.waitFor(() => successes().size >= 20, 120_000);
    receiver.hold(true);
    await new Promise((r) => setTimeout(r, 300));
    const exited = new Promise((r) => first.process.once('exit', (_code, signal) => r(signal)));
    first.process.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const answeredBeforeCrash = successes().size;
    expect(answeredBeforeCrash).toBeLessThan(TOTAL); // the kill really came mid-processing
    receiver.hold(false);

    const second = await startServer();
    await receiver.waitFor(() => successes().size >= TOTAL, 240_000);
    await new Promise((r) => setTimeout(r, 500)); // a duplicate would arrive now
    const byId = successes();
    expect([...byId.keys()].sort()).toEqual([...trackingIds].sort());
    expect([...byId.values()].filter((n) => n > 1)).toEqual([]);
    const sample = await fetch(`${second.url}/webhook/${trackingIds[0]}`, { headers: { authorization: `Bearer ${keys[0]}` } });
    expect(await sample.json()).toMatchObject({ status: 'done', tracking_id: trackingIds[0] });
    second.process.kill('SIGTERM');
  });
});
