/**
 * One contract, three stores: the memory store, the local journal and S3 (the real SDK against the loopback S3
 * stand-in) keep status records and idempotency claims alike.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as sdk from '../../../../runtime/aws/s3.ts';
import {
  createFileStatusStore, createMemoryStatusStore, expiredAt, isExpired, type IdempotencyClaim, type StatusRecord, type StatusRetention,
  type StatusStore,
} from '../../../../runtime/channels/webhook/statusStore.ts';
import { createS3StatusStore } from '../../../../runtime/lambda/s3Stores.ts';
import { AwsStandIn } from '../../../support/awsStandIn.ts';

const aws = new AwsStandIn();
let dir: string;
beforeAll(async () => {
  await aws.start();
  dir = await mkdtemp(join(tmpdir(), 'status-store-'));
});
afterAll(async () => {
  await aws.stop();
  await rm(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-01T00:00:00.000Z');
/** A claim made at `clock`. */
const claimAt = (trackingId: string, clock: number): IdempotencyClaim => claim(trackingId, new Date(clock));
let stores = 0;
const makers: Array<[string, (retention?: StatusRetention) => Promise<StatusStore>]> = [
  ['memory', async (retention) => createMemoryStatusStore(retention)],
  ['file', (retention) => createFileStatusStore(join(dir, `status-${(stores += 1)}.jsonl`), retention)],
  ['S3', async (retention) => {
    const client = new sdk.S3Client({
      endpoint: aws.url, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    return createS3StatusStore(async () => ({ sdk, client }), 'status-bucket', `prefix-${(stores += 1)}/`, retention);
  }],
];

const claim = (trackingId: string, at = new Date()): IdempotencyClaim => ({ tracking_id: trackingId, request_digest: 'd1', at: at.toISOString() });

describe.each(makers)('the %s status store', (_name, make) => {
  it('merges patches into one record, a final state never overwritten by a late processing', async () => {
    const store = await make();
    await store.update('t1', { status: 'queued', queued_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', owner: 'key-a' });
    await store.update('t1', { status: 'done', updated_at: '2026-01-01T00:00:05.000Z', response: 'answer' });
    await store.update('t1', { status: 'processing', updated_at: '2026-01-01T00:00:06.000Z' });
    expect(await store.get('t1')).toMatchObject({ tracking_id: 't1', status: 'done', response: 'answer', owner: 'key-a' });
    expect(await store.get('t2')).toBeUndefined();
    await store.close();
  });

  it('lets the first claim of a key win, and every concurrent claimant see the winner', async () => {
    const store = await make();
    const held = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((id) => store.claim('k1', claim(id))));
    expect(new Set(held.map((h) => h.tracking_id)).size).toBe(1);
    expect(await store.claim('k1', claim('f'))).toEqual(held[0]);
    const g = claim('g');
    expect(await store.claim('k2', g)).toEqual(g);
    await store.close();
  });

  it.each([
    ['kept until just before', 7 * DAY - 1, true],
    ['gone exactly at', 7 * DAY, false],
  ])('with a 7-day retention, a record and a claim are %s 7 days after their last change', async (_name, age, kept) => {
    let clock = T0;
    const store = await make({ retentionMs: 7 * DAY, now: () => clock });
    await store.update('old', { status: 'queued', queued_at: new Date(T0).toISOString(), updated_at: new Date(T0).toISOString() });
    await store.claim('k-old', claimAt('old', clock));
    await store.confirm('k-old', claimAt('old', clock));
    clock = T0 + age;
    expect(Boolean(await store.get('old'))).toBe(kept);
    expect((await store.claim('k-old', claimAt('new', clock))).tracking_id).toBe(kept ? 'old' : 'new');
    await store.close();
  });

  it('counts retention from the last change, not the first', async () => {
    let clock = T0;
    const store = await make({ retentionMs: 7 * DAY, now: () => clock });
    await store.update('t1', { status: 'queued', queued_at: new Date(T0).toISOString(), updated_at: new Date(T0).toISOString() });
    await store.update('t1', { status: 'done', updated_at: new Date(T0 + 6 * DAY).toISOString() });
    clock = T0 + 12 * DAY;
    expect(await store.get('t1')).toMatchObject({ status: 'done' });
    await store.close();
  });

  it.each([
    ['stands until just before', 60_000 - 1, 'first'],
    ['gives way exactly at', 60_000, 'second'],
  ])('an unconfirmed claim (its request never queued) %s its minute of grace', async (_name, age, winner) => {
    let clock = T0;
    const store = await make({ retentionMs: 7 * DAY, now: () => clock });
    await store.claim('k', claimAt('first', clock));
    const kept = claimAt('kept', clock);
    await store.claim('confirmed', kept);
    await store.confirm('confirmed', kept);
    clock = T0 + age;
    expect((await store.claim('k', claimAt('second', clock))).tracking_id).toBe(winner);
    expect((await store.claim('confirmed', claimAt('other', clock))).tracking_id).toBe('kept');
    await store.close();
  });

  it('does not confirm a claim another request has taken over', async () => {
    let clock = T0;
    const store = await make({ retentionMs: 7 * DAY, now: () => clock });
    const first = claimAt('first', clock);
    await store.claim('k', first);
    clock = T0 + 60_000;
    await store.claim('k', claimAt('second', clock));
    await store.confirm('k', first);
    clock = T0 + 120_000;
    // 'second' was never confirmed and its own grace is over: neither stands.
    expect((await store.claim('k', claimAt('third', clock))).tracking_id).toBe('third');
    await store.close();
  });

  it('gives a released key to the next claim', async () => {
    const store = await make();
    await store.claim('k1', claim('a'));
    await store.release('k1');
    const b = claim('b');
    expect(await store.claim('k1', b)).toEqual(b);
    await store.close();
  });
});

describe('the file status store across a restart', () => {
  it('forgets at start what outlived the retention while it was down, and compacts to what is kept', async () => {
    const path = join(dir, 'retention.jsonl');
    let clock = T0;
    const iso = () => new Date(clock).toISOString();
    const first = await createFileStatusStore(path, { retentionMs: 7 * DAY, now: () => clock, compactAfterBytes: 2048 });
    for (let i = 0; i < 10; i += 1) await first.update(`old-${i}`, { status: 'done', queued_at: iso(), updated_at: iso(), response: 'x'.repeat(100) });
    clock = T0 + 8 * DAY;
    // Past the compaction threshold: the rewrite keeps only live records.
    for (let i = 0; i < 10; i += 1) await first.update(`new-${i}`, { status: 'done', queued_at: iso(), updated_at: iso(), response: 'y'.repeat(100) });
    await first.close();
    // Reopened with a clock from before the old records expired: had the journal kept them, they would be back.
    clock = T0;
    const second = await createFileStatusStore(path, { retentionMs: 7 * DAY, now: () => clock });
    expect(await second.get('old-0')).toBeUndefined();
    expect(await second.get('new-9')).toMatchObject({ status: 'done' });
    await second.close();
    clock = T0 + 16 * DAY;
    const third = await createFileStatusStore(path, { retentionMs: 7 * DAY, now: () => clock });
    expect(await third.get('new-9')).toBeUndefined();
    await third.close();
  });

  it('does not rewrite the journal on every write once what it keeps outgrows the compaction threshold', async () => {
    const path = join(dir, 'outgrown.jsonl');
    const iso = new Date(T0).toISOString();
    const store = await createFileStatusStore(path, { compactAfterBytes: 2048, now: () => T0 });
    // 30 kept records of ~200 bytes: the first rewrite past 2 KiB leaves more than the threshold behind.
    for (let i = 0; i < 30; i += 1) await store.update(`kept-${i}`, { status: 'done', queued_at: iso, updated_at: iso, response: 'z'.repeat(120) });
    for (let i = 0; i < 5; i += 1) await store.update('kept-0', { updated_at: iso, delivery_attempts: i + 1 });
    await store.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    // Rewriting after each write would have merged these five patches into kept-0's one line.
    expect(lines.filter((l) => l.includes('"delivery_attempts"'))).toHaveLength(5);
    const reopened = await createFileStatusStore(path, { now: () => T0 });
    expect(await reopened.get('kept-0')).toMatchObject({ status: 'done', delivery_attempts: 5 });
    expect(await reopened.get('kept-29')).toMatchObject({ status: 'done' });
    await reopened.close();
  });

  it('judges a pass of dates exactly as one date at a time: text comparison for toISOString\'s shape, parsing for the rest', () => {
    const at = Date.parse('2026-03-10T12:00:00.000Z');
    const dates = [
      '2026-03-03T12:00:00.000Z', '2026-03-03T11:59:59.999Z', '2026-03-03T12:00:00.001Z', '2025-12-31T23:59:59.999Z', '2026-03-10T12:00:00.000Z',
      '2026-03-03T12:00:00Z', '2026-03-03T13:00:00.000+01:00', '2026-03-03T12:30:00.000+01:00', '2026-03-03', 'soon', '', '+012026-03-03T12:00:00.000Z',
    ];
    for (const retentionMs of [7 * DAY, 0, undefined, 1e300, -DAY]) {
      const expired = expiredAt(retentionMs, at);
      for (const iso of dates) expect([retentionMs, iso, expired(iso)]).toEqual([retentionMs, iso, isExpired(iso, retentionMs, at)]);
    }
  });

  it('reads a record it holds none of through its lookup, writes nothing for it until its first update, which writes it whole', async () => {
    const path = join(dir, 'read-through.jsonl');
    const queued = (id: string, owner: string): StatusRecord => ({
      tracking_id: id, status: 'queued', queued_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', owner, source_system: 'crm',
    });
    const held = new Map([['r1', queued('r1', 'key-a')], ['r2', queued('r2', 'key-b')]]);
    const first = await createFileStatusStore(path);
    first.readThrough!((id) => held.get(id));
    expect(await first.get('r1')).toMatchObject({ status: 'queued', owner: 'key-a' });
    expect(await first.get('r3')).toBeUndefined();
    await first.update('r1', { status: 'processing', updated_at: '2026-01-01T00:00:01.000Z' });
    held.delete('r1'); // the message leaves the queue; the store holds the record now
    await first.update('r1', { status: 'done', updated_at: '2026-01-01T00:00:02.000Z', response: 'answer' });
    expect(await first.get('r1')).toMatchObject({ status: 'done', owner: 'key-a' });
    await first.close();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    // One whole record, then one patch: the part read through went into the first write, and r2 was never written.
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"owner":"key-a"');
    expect(lines[1]).not.toContain('owner');
    const reopened = await createFileStatusStore(path);
    expect(await reopened.get('r1')).toMatchObject({
      status: 'done', owner: 'key-a', source_system: 'crm', queued_at: '2026-01-01T00:00:00.000Z', response: 'answer',
    });
    expect(await reopened.get('r2')).toBeUndefined();
    await reopened.close();
  });

  it('reads nothing through that is past the retention', async () => {
    const store = createMemoryStatusStore({ retentionMs: 1_000, now: () => Date.parse('2026-01-01T00:00:05.000Z') });
    store.readThrough!((id) => ({ tracking_id: id, status: 'queued', queued_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z' }));
    expect(await store.get('old')).toBeUndefined();
  });

  it('writes a record read through whole again at its next update when its first write failed', async () => {
    const path = join(dir, 'read-through-failed.jsonl');
    const iso = '2026-01-01T00:00:00.000Z';
    let held: StatusRecord | undefined = { tracking_id: 'r1', status: 'queued', queued_at: iso, updated_at: iso, owner: 'key-a' };
    let failNext = false;
    const store = await createFileStatusStore(path, {
      fsync: async (file) => {
        if (failNext) {
          failNext = false;
          throw new Error('disk full');
        }
        await file.datasync();
      },
    });
    store.readThrough!((id) => (id === 'r1' ? held : undefined));
    failNext = true;
    await expect(store.update('r1', { status: 'processing', updated_at: iso })).rejects.toThrow('disk full');
    held = undefined; // the message is gone; only the next update can carry what it said
    await store.update('r1', { status: 'done', updated_at: iso, response: 'answer' });
    await store.close();
    // Whether the failed write reached the disk is unknown, so the next one is whole on its own.
    const last = JSON.parse((await readFile(path, 'utf8')).trim().split('\n').at(-1)!.slice(9)) as { patch: StatusRecord };
    expect(last.patch).toMatchObject({ status: 'done', owner: 'key-a', queued_at: iso, response: 'answer' });
    const reopened = await createFileStatusStore(path);
    expect(await reopened.get('r1')).toMatchObject({ status: 'done', owner: 'key-a', response: 'answer' });
    await reopened.close();
  });

  it('keeps records and claims, and forgets released claims', async () => {
    const path = join(dir, 'restart.jsonl');
    const first = await createFileStatusStore(path);
    await first.update('t1', { status: 'queued', queued_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', owner: 'key-a' });
    const t1 = claim('t1');
    await first.claim('kept', t1);
    await first.confirm('kept', t1);
    await first.claim('released', claim('t2'));
    await first.release('released');
    await first.close();
    const second = await createFileStatusStore(path);
    expect(await second.get('t1')).toMatchObject({ status: 'queued', owner: 'key-a' });
    expect(await second.claim('kept', claim('t3'))).toEqual({ ...t1, queued: true });
    const t4 = claim('t4');
    expect(await second.claim('released', t4)).toEqual(t4);
    await second.close();
  });
});
