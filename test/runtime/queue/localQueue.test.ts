import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalQueue, type LocalQueueOptions } from '../../../runtime/queue/localQueue.ts';
import type { DeadLetter } from '../../../runtime/queue/queue.ts';
import { encodeRecord } from '../../../runtime/queue/journal.ts';
import { webhookMessage } from '../../support/messages.ts';

let dir: string;
let clock: number;
const base = (extra: Partial<LocalQueueOptions> = {}): LocalQueueOptions => ({
  dir, visibilityTimeoutMs: 1000, maxReceives: 3, retentionMs: 60_000, now: () => clock, ...extra,
});

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-queue-'));
  clock = 1_000_000;
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('embedded queue', () => {
  it('hides a received message for the visibility timeout and redelivers it after, counting receives', async () => {
    const queue = await createLocalQueue(base());
    await queue.send(webhookMessage());
    const [first] = await queue.receive({ max: 10 });
    expect(first?.receiveCount).toBe(1);
    expect(await queue.receive({ max: 10 })).toHaveLength(0);
    clock += 999;
    expect(await queue.receive({ max: 10 })).toHaveLength(0);
    clock += 1;
    const [again] = await queue.receive({ max: 10 });
    expect(again?.messageId).toBe(first?.messageId);
    expect(again?.receiveCount).toBe(2);
    await expect(queue.ack(first!.receiptHandle)).rejects.toMatchObject({ code: 'unknown_receipt' });
    await queue.ack(again!.receiptHandle);
    clock += 5000;
    expect(await queue.receive({ max: 10 })).toHaveLength(0);
    await queue.close();
  });

  it('moves a message to the dead-letter queue after 3 receives, keeping its last error', async () => {
    const seen: DeadLetter[] = [];
    const queue = await createLocalQueue(base({ onDeadLetter: (d) => seen.push(d) }));
    const message = webhookMessage();
    await queue.send(message);
    for (let attempt = 1; attempt <= 3; attempt += 1) {
      const [got] = await queue.receive({ max: 1 });
      expect(got?.receiveCount).toBe(attempt);
      await queue.release(got!.receiptHandle, { error: `receiver said 500 (attempt ${attempt})` });
    }
    expect(await queue.receive({ max: 1 })).toHaveLength(0);
    const dead = await queue.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ receiveCount: 3, lastError: 'receiver said 500 (attempt 3)' });
    expect(dead[0]?.message.dedupeKey).toBe(message.dedupeKey);
    expect(seen).toHaveLength(1);
    expect(await queue.stats()).toEqual({ visible: 0, inFlight: 0, deadLettered: 1 });
    await queue.close();
  });

  it('does not enqueue a message whose dedupeKey was already accepted', async () => {
    const queue = await createLocalQueue(base());
    const message = webhookMessage();
    const first = await queue.send(message);
    const second = await queue.send({ ...message, id: 'another-correlation-id' });
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ messageId: first.messageId, duplicate: true, duplicateKnown: true });
    expect(await queue.receive({ max: 10 })).toHaveLength(1);
    await queue.close();
  });

  it('drops messages and forgets their dedupe keys after the retention period', async () => {
    const queue = await createLocalQueue(base());
    const message = webhookMessage();
    await queue.send(message);
    clock += 60_000;
    expect(await queue.receive({ max: 10 })).toHaveLength(0);
    expect((await queue.send(message)).duplicate).toBe(false);
    await queue.close();
  });

  it('expires by send time: the older message and its key go, the newer stay (duplicates keep their message id)', async () => {
    const queue = await createLocalQueue(base({ retentionMs: 10_000 }));
    const [older, newer] = [webhookMessage(), webhookMessage()];
    await queue.send(older);
    clock += 5_000;
    const kept = await queue.send(newer);
    clock += 7_000;
    expect((await queue.receive({ max: 10 })).map((r) => r.message.dedupeKey)).toEqual([newer.dedupeKey]);
    expect((await queue.send(older)).duplicate).toBe(false);
    expect(await queue.send(newer)).toEqual({ messageId: kept.messageId, duplicate: true, duplicateKnown: true });
    await queue.close();
  });

  it('keeps expiring by send time after compaction and a restart', async () => {
    const queue = await createLocalQueue(base({ retentionMs: 10_000, compactAfterBytes: 1 }));
    const [stillQueued, answered] = [webhookMessage(), webhookMessage()];
    await queue.send(stillQueued);
    clock += 1_000;
    const sent = await queue.send(answered);
    const received = await queue.receive({ max: 10 });
    await queue.ack(received.find((r) => r.messageId === sent.messageId)!.receiptHandle);
    await queue.close();
    const reopened = await createLocalQueue(base({ retentionMs: 10_000 }));
    expect(await reopened.send(stillQueued)).toMatchObject({ duplicate: true });
    clock += 9_500;
    expect(await reopened.receive({ max: 10 })).toHaveLength(0);
    expect((await reopened.send(stillQueued)).duplicate).toBe(false);
    expect((await reopened.send(answered)).duplicate).toBe(true);
    await reopened.close();
  });

  it('drops a message still held under a key past its retention when the key is accepted again, before any sweep', async () => {
    const queue = await createLocalQueue(base());
    const message = webhookMessage();
    await queue.send(message);
    const [stale] = await queue.receive({ max: 1 });
    clock += 60_000;
    const again = await queue.send({ ...message, id: 'the-new-request' });
    expect(again.duplicate).toBe(false);
    // The old message went with its retention: not counted, its receipt void, the key standing for the new one.
    expect(await queue.stats()).toEqual({ visible: 1, inFlight: 0, deadLettered: 0 });
    await expect(queue.ack(stale!.receiptHandle)).rejects.toMatchObject({ code: 'unknown_receipt' });
    expect(queue.heldMessage!(message.dedupeKey)?.id).toBe('the-new-request');
    expect((await queue.receive({ max: 10 })).map((r) => r.message.id)).toEqual(['the-new-request']);
    await queue.close();
  });

  it('gives every message an id of its own, across restarts', async () => {
    const ids: string[] = [];
    for (let opening = 0; opening < 3; opening += 1) {
      const queue = await createLocalQueue(base());
      for (let i = 0; i < 5; i += 1) ids.push((await queue.send(webhookMessage())).messageId);
      await queue.close();
    }
    expect(new Set(ids).size).toBe(15);
    const reopened = await createLocalQueue(base());
    expect((await reopened.receive({ max: 10 })).length + (await reopened.receive({ max: 10 })).length).toBe(15);
    await reopened.close();
  });

  it('shares one fsync between concurrent sends (group commit)', async () => {
    let fsyncs = 0;
    const queue = await createLocalQueue(base({ fsync: async (file) => { fsyncs += 1; await file.datasync(); } }));
    const before = fsyncs;
    await Promise.all(Array.from({ length: 50 }, () => queue.send(webhookMessage())));
    expect(fsyncs - before).toBeGreaterThan(0);
    expect(fsyncs - before).toBeLessThan(50);
    expect((await queue.stats()).visible).toBe(50);
    await queue.close();
  });

  it('recovers after a crash: acked messages stay gone, received ones come back with their count', async () => {
    const queue = await createLocalQueue(base());
    const [a, b, c] = [webhookMessage(), webhookMessage(), webhookMessage()];
    for (const m of [a, b, c]) await queue.send(m);
    const got = await queue.receive({ max: 2 });
    await queue.ack(got[0]!.receiptHandle);
    // no close(): the process "dies" with one message in flight; a torn half-record follows on disk
    await appendFile(join(dir, 'journal.jsonl'), '{"op":"ack","id":"tor');
    const reopened = await createLocalQueue(base());
    const again = await reopened.receive({ max: 10 });
    expect(again.map((r) => r.message.dedupeKey).sort()).toEqual(
      [got[1]!.message.dedupeKey, [a, b, c].find((m) => !got.some((g) => g.message.dedupeKey === m.dedupeKey))!.dedupeKey].sort());
    expect(again.find((r) => r.messageId === got[1]!.messageId)?.receiveCount).toBe(2);
    expect((await reopened.send(a)).duplicate).toBe(true);
    expect((await readFile(join(dir, 'journal.jsonl'), 'utf8')).includes('"tor')).toBe(false);
    await reopened.close();
  });

  it('finds a message it holds by its dedupe key (waiting, in flight or dead-lettered, across a restart and a compaction), and no acked one', async () => {
    const queue = await createLocalQueue(base({ maxReceives: 1 }));
    const [a, b, c, d] = [webhookMessage(), webhookMessage(), webhookMessage(), webhookMessage()];
    for (const m of [a, b, c, d]) await queue.send(m);
    const [first, second] = await queue.receive({ max: 2 });
    await queue.ack(first!.receiptHandle);
    await queue.release(second!.receiptHandle, { error: 'boom' }); // its one allowed receive: dead-lettered
    await queue.receive({ max: 1 }); // c in flight
    const held = (q: typeof queue) => [a, b, c, d].map((m) => q.heldMessage!(m.dedupeKey)?.id);
    expect(held(queue)).toEqual([undefined, b.id, c.id, d.id]);
    expect(queue.heldMessage!('no such key')).toBeUndefined();
    // The acked message's key still rejects a duplicate.
    expect((await queue.send(a)).duplicate).toBe(true);
    await queue.close();
    const reopened = await createLocalQueue(base({ maxReceives: 1, compactAfterBytes: 1 }));
    expect(held(reopened)).toEqual([undefined, b.id, c.id, d.id]);
    const [again] = await reopened.receive({ max: 1 });
    await reopened.ack(again!.receiptHandle); // and compacts
    expect(held(reopened).filter((id) => id !== undefined)).toHaveLength(2);
    expect((await reopened.send(a)).duplicate).toBe(true);
    await reopened.close();
  });

  it('compacts the journal without losing state', async () => {
    const queue = await createLocalQueue(base({ compactAfterBytes: 2000 }));
    const messages = Array.from({ length: 20 }, () => webhookMessage());
    for (const m of messages) await queue.send(m);
    for (const r of await queue.receive({ max: 10 })) await queue.ack(r.receiptHandle);
    // 20 sends + 10 receives + 10 acks would be 40 lines without compaction
    const lines = (await readFile(join(dir, 'journal.jsonl'), 'utf8')).trim().split('\n').length;
    const reopened = await createLocalQueue(base());
    expect((await reopened.stats()).visible).toBe(10);
    expect((await reopened.send(messages[0]!)).duplicate).toBe(true);
    expect(lines).toBeLessThan(40);
    await reopened.close();
    await queue.close();
  });

  it('does not compact again until the journal has doubled, even when the backlog alone is over the threshold', async () => {
    const queue = await createLocalQueue(base({ compactAfterBytes: 1 }));
    for (let i = 0; i < 20; i += 1) await queue.send(webhookMessage());
    const [first, second] = await queue.receive({ max: 2 });
    await queue.ack(first!.receiptHandle);
    const compacted = await readFile(join(dir, 'journal.jsonl'), 'utf8');
    expect(compacted).not.toContain('"op":"ack"');
    await queue.ack(second!.receiptHandle);
    expect(await readFile(join(dir, 'journal.jsonl'), 'utf8')).toBe(`${compacted}${encodeRecord({ op: 'ack', id: second!.messageId })}`);
    await queue.close();
  });

  it('long-polls: a waiting receive returns as soon as a message is sent', async () => {
    const queue = await createLocalQueue({ ...base(), now: Date.now });
    const waiting = queue.receive({ max: 1, waitMs: 30_000 });
    await queue.send(webhookMessage());
    expect(await waiting).toHaveLength(1);
    await queue.close();
  });
});
