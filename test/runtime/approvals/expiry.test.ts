/**
 * Expiry is a transition, not only a refusal: an action past its deadline becomes `expired` once — in the store
 * (the local journal across a restart) and in the audit log — when a sweep, a read or a late decision observes it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApprovals, sweepExpired } from '../../../runtime/approvals/approvals.ts';
import { createMemoryAuditLog } from '../../../runtime/approvals/auditLog.ts';
import type { PendingAction } from '../../../runtime/approvals/pendingAction.ts';
import { createFilePendingStore, createMemoryPendingStore } from '../../../runtime/approvals/pendingStore.ts';
import type { Toolbox } from '../../../runtime/tools/toolbox.ts';
import type { Warehouse } from '../../../runtime/warehouse/warehouse.ts';

const CREATED = new Date('2025-11-14T09:00:00Z');
const action = (id: string, expiresInS: number): PendingAction => ({
  id, tool: 'firebolt_writer', effect: 'write', params: {}, asker: { id: 'cli', label: 'dev (revops ask)' },
  preview: { kind: 'update', table: 'opportunities', key: { id: 'OPP-1' }, record: 'IXIS', changes: [] },
  origin: { id: `c-${id}`, channel: 'cli', text: 'update the IXIS next step to x', sessionId: 's' },
  createdAt: CREATED.toISOString(), expiresAt: new Date(CREATED.getTime() + expiresInS * 1000).toISOString(), status: 'pending',
});
const later = new Date(CREATED.getTime() + 120_000);
const unused = { tools: [], run: async () => { throw new Error('not called'); }, perform: async () => { throw new Error('not called'); } } as unknown as Toolbox;

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

describe('expiry', () => {
  it('a sweep expires what is past its deadline, once, on record and in the journal; the rest still waits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'revops-expiry-'));
    dirs.push(dir);
    const path = join(dir, 'pending.jsonl');
    const store = await createFilePendingStore(path);
    const audit = createMemoryAuditLog();
    await store.create(action('due', 60));
    await store.create(action('later', 3600));
    expect((await sweepExpired(store, audit, later)).map((a) => a.id)).toEqual(['due']);
    expect(await sweepExpired(store, audit, later)).toEqual([]);
    expect((await audit.list(10)).map((r) => [r.action_id, r.status])).toEqual([['due', 'expired']]);
    await store.close();
    const reopened = await createFilePendingStore(path);
    expect((await reopened.get('due'))?.status).toBe('expired');
    expect((await reopened.get('later'))?.status).toBe('pending');
    await reopened.close();
  });

  it('reading an action past its deadline expires it; a late decision is told it expired, and nothing is recorded twice', async () => {
    const store = createMemoryPendingStore();
    const audit = createMemoryAuditLog();
    const approvals = createApprovals({ store, audit, toolbox: unused, context: { warehouse: {} as Warehouse, env: {}, now: () => later }, channels: [], now: () => later });
    await store.create(action('read', 60));
    expect((await approvals.get('read'))?.status).toBe('expired');
    expect((await store.get('read'))?.status).toBe('expired');
    const late = await approvals.decide('read', { approve: true, by: 'cli', decisionId: 'd', at: later.toISOString() });
    expect(late).toMatchObject({ kind: 'expired', action: { status: 'expired' } });
    expect((await audit.list(10)).map((r) => r.status)).toEqual(['expired']);
  });
});
