import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalQueue } from '../../../runtime/queue/localQueue.ts';
import { startConsumer } from '../../../runtime/queue/consumer.ts';
import { webhookMessage } from '../../support/messages.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-consumer-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('local consumer', () => {
  it('keeps answering other messages while one is stuck, up to the concurrency limit', async () => {
    const queue = await createLocalQueue({ dir, visibilityTimeoutMs: 60_000, maxReceives: 3, retentionMs: 3_600_000 });
    let releaseSlow!: () => void;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    const finished: string[] = [];
    let peak = 0;
    let running = 0;
    const consumer = startConsumer({
      queue, concurrency: 3, waitMs: 50,
      handle: async ({ message }) => {
        running += 1;
        peak = Math.max(peak, running);
        if (message.text === 'slow') await slowGate;
        else await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        finished.push(message.text);
      },
    });
    await queue.send(webhookMessage({ text: 'slow' }));
    for (let i = 0; i < 10; i += 1) await queue.send(webhookMessage({ text: `fast ${i}` }));
    while (finished.length < 10) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(finished).not.toContain('slow');
    expect(peak).toBeLessThanOrEqual(3);
    releaseSlow();
    await consumer.stop();
    expect(finished).toContain('slow');
    expect(await queue.stats()).toEqual({ visible: 0, inFlight: 0, deadLettered: 0 });
    await queue.close();
  });

  it('releases a failed message with its error, and it is received again', async () => {
    const queue = await createLocalQueue({ dir, visibilityTimeoutMs: 60_000, maxReceives: 3, retentionMs: 3_600_000 });
    const attempts: Array<{ count: number; lastError?: string }> = [];
    const consumer = startConsumer({
      queue, concurrency: 1, waitMs: 50, retryDelayMs: () => 0,
      handle: async (r) => {
        attempts.push({ count: r.receiveCount, ...(r.lastError ? { lastError: r.lastError } : {}) });
        if (r.receiveCount < 2) throw new Error('first try fails');
      },
    });
    await queue.send(webhookMessage());
    while (attempts.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await consumer.stop();
    expect(attempts).toEqual([{ count: 1 }, { count: 2, lastError: 'first try fails' }]);
    await queue.close();
  });
});
