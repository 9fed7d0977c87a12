/**
 * What runs is what was previewed: an approved notification goes to the destination its preview showed, never to
 * the one configured when it is approved (a restart with another REVOPS_NOTIFY_URL); a destination no longer allowed
 * is refused, on record, and nothing is sent anywhere.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { compileProject } from '../../../compiler/index.ts';
import type { Manifest } from '../../../compiler/manifest.ts';
import { createApprovals } from '../../../runtime/approvals/approvals.ts';
import { createMemoryAuditLog } from '../../../runtime/approvals/auditLog.ts';
import { createMemoryPendingStore } from '../../../runtime/approvals/pendingStore.ts';
import { createToolbox } from '../../../runtime/tools/createToolbox.ts';
import type { Warehouse } from '../../../runtime/warehouse/warehouse.ts';
import { startReceiver, type Receiver } from '../../support/receiver.ts';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
let manifest: Manifest;
beforeAll(async () => {
  const compiled = await compileProject(REPO_ROOT);
  manifest = compiled.manifest!;
}, 60_000);

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

/** The tool as shipped, with extra allow patterns. */
const tools = (allow: string[] = []) => manifest.tools.map((t) => (t.kind === 'webhook' ? { ...t, allow: [...(t.allow ?? []), ...allow] } : t));
const noWarehouse = {} as Warehouse;

/** One proposal made under `proposedWith`, decided by a service started again under `approvedWith` over the same stores. */
async function proposeThenRestart(proposedWith: string, approvedWith: string, allow: string[] = []) {
  const store = createMemoryPendingStore();
  const audit = createMemoryAuditLog();
  const service = (url: string) => {
    const context = { warehouse: noWarehouse, env: { REVOPS_NOTIFY_URL: url }, now: () => new Date() };
    return createApprovals({ store, audit, toolbox: createToolbox(tools(allow), context), context, channels: [] });
  };
  const proposed = await service(proposedWith).propose({
    tool: 'webhook_executor', params: { recipient: 'Priya', message: 'IXIS closed' }, asker: { id: 'cli', label: 'cli' },
    origin: { id: 'c1', channel: 'cli', text: 'tell Priya that IXIS closed', sessionId: 's1' },
  });
  if (!proposed.ok) throw new Error(proposed.reason);
  const decided = await service(approvedWith).decide(proposed.action.id, { approve: true, by: 'cli', decisionId: 'd1', at: new Date().toISOString() });
  return { proposed: proposed.action, decided, audit: await audit.list(10) };
}

describe('an approved notification after the destination changed', () => {
  it('is refused when the previewed destination is no longer allowed: sent nowhere, the refusal on record', async () => {
    const [previewed, current] = [await startReceiver(), await startReceiver()];
    receivers.push(previewed, current);
    const { proposed, decided, audit } = await proposeThenRestart(previewed.url, current.url);
    expect(proposed.preview).toMatchObject({ kind: 'notification', target: `${new URL(previewed.url).origin}/hooks/…` });
    expect(decided).toMatchObject({ kind: 'performed', action: { status: 'failed', outcome: { ok: false } } });
    expect(decided.kind === 'performed' && decided.action.outcome?.text).toMatch(/no longer an allowed destination.*nothing was sent/u);
    expect(previewed.deliveries).toHaveLength(0);
    expect(current.deliveries).toHaveLength(0);
    expect(audit).toEqual([expect.objectContaining({ status: 'failed', outcome: expect.objectContaining({ ok: false }) })]);
  });

  it('goes to the previewed destination while it is still allowed, not to the newly configured one', async () => {
    const [previewed, current] = [await startReceiver(), await startReceiver()];
    receivers.push(previewed, current);
    const { decided } = await proposeThenRestart(previewed.url, current.url, [`${new URL(previewed.url).origin}/hooks/`]);
    expect(decided).toMatchObject({ kind: 'performed', action: { status: 'done' } });
    expect(previewed.deliveries).toHaveLength(1);
    expect(current.deliveries).toHaveLength(0);
  });

  it('goes as before when nothing changed', async () => {
    const hook = await startReceiver();
    receivers.push(hook);
    const { decided } = await proposeThenRestart(hook.url, hook.url);
    expect(decided).toMatchObject({ kind: 'performed', action: { status: 'done' } });
    expect(hook.deliveries).toHaveLength(1);
  });
});
