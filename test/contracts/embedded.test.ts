/**
 * Every contract suite against the embedded implementations (`npm test`); test/aws/contracts.test.ts runs the same
 * suites against the AWS ones on moto_server (`npm run test:aws`). An interface with two implementations gets its
 * suite in test/contracts/ and one line in each runner — the conversation session store's goes here when it lands.
 */
import { afterAll } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalQueue } from '../../runtime/queue/localQueue.ts';
import type { DeadLetter } from '../../runtime/queue/queue.ts';
import { createFileStatusStore } from '../../runtime/channels/webhook/statusStore.ts';
import { createFileDoneSet } from '../../runtime/processing/doneSet.ts';
import { createLocalExportSink } from '../../runtime/exports/localSink.ts';
import { describeQueueContract } from './queueContract.ts';
import { describeStatusStoreContract } from './statusStoreContract.ts';
import { describeDoneSetContract } from './doneSetContract.ts';
import { describeExportSinkContract } from './exportSinkContract.ts';

const root = await mkdtemp(join(tmpdir(), 'revops-contracts-'));
afterAll(() => rm(root, { recursive: true, force: true }));
const folder = (): Promise<string> => mkdtemp(join(root, 'x-'));

let offsetMs = 0;
describeQueueContract('embedded journal queue', {
  async open({ visibilityTimeoutSeconds, maxReceives }) {
    const deadLettered: DeadLetter[] = [];
    const queue = await createLocalQueue({
      dir: await folder(), visibilityTimeoutMs: visibilityTimeoutSeconds * 1000, maxReceives, retentionMs: 3_600_000,
      now: () => Date.now() + offsetMs, onDeadLetter: (dead) => deadLettered.push(dead),
    });
    return { queue, deadLettered };
  },
  elapse: async (ms) => void (offsetMs += ms),
});

describeStatusStoreContract('status journal', { open: async () => createFileStatusStore(join(await folder(), 'status.jsonl')) });

describeDoneSetContract('done-set journal', { open: async () => createFileDoneSet(join(await folder(), 'done.jsonl'), { retentionMs: 3_600_000 }) });

describeExportSinkContract('local folder sink', {
  open: async () => createLocalExportSink(await folder()),
  read: (location, name) => readFile(join(location, name), 'utf8'),
});
