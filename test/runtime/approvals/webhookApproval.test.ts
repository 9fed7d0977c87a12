/**
 * Safe actions through the real server and the webhook channel (issue 13): the misread requests of the issue change
 * nothing and send nothing; a proposed write shows old and new values; approve writes once with one audit record;
 * a second approve, a reject, an expired proposal and another caller change nothing; a crash between approval and
 * write, then a restart, writes once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createFileAuditLog } from '../../../runtime/approvals/auditLog.ts';
import { approvalWorld, eventually, KEYS, type World } from './approvalWorld.ts';
import { startReceiver } from '../../support/receiver.ts';
import { signatureHeaders } from '../../../runtime/channels/webhook/signature.ts';

let world: World;
let url: string;
beforeEach(async () => {
  world = await approvalWorld();
  url = (await world.start()).server.url;
});
afterEach(async () => world.close());

const auth = (key = KEYS[0]!, extra: Record<string, string> = {}) => ({ 'content-type': 'application/json', authorization: `Bearer ${key}`, ...extra });

async function ask(query: string): Promise<string> {
  const res = await fetch(`${url}/webhook`, { method: 'POST', headers: auth(), body: JSON.stringify({ query, source_system: 'crm_dashboard' }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { tracking_id: string }).tracking_id;
}

type Status = { status: string; response?: string; pending_action?: { id: string; status: string; preview: Record<string, unknown> } };
const status = async (id: string): Promise<Status> => (await fetch(`${url}/webhook/${id}`, { headers: auth() })).json() as Promise<Status>;
const settled = (id: string) => eventually(() => status(id), (s) => !['queued', 'processing'].includes(s.status));
const decide = (id: string, verdict: 'approve' | 'reject', key = KEYS[0]!, extra: Record<string, string> = {}) =>
  fetch(`${url}/webhook/${id}/${verdict}`, { method: 'POST', headers: auth(key, extra), body: '{}' });
const auditRecords = async () => {
  const log = await createFileAuditLog(join(world.dataDir, 'data', 'approvals', 'audit.jsonl'));
  try {
    return await log.list(100);
  } finally {
    await log.close();
  }
};

describe('misread requests: no write, no notification', () => {
  it.each([
    ['can you let Priya know the TechFlow legal review is done?', 'none'],
    ['update the next step on the Wayne Enterprises deal to send pricing', 'none'],
    ['Send notification to AE', 'none'],
    ['update the IXIS deal stage to Verbal Commit', 'update'],
  ])('%s', async (query, proposed) => {
    const before = { techflow: await world.nextStep('TechFlow Migration'), microsoft: await world.nextStep('Microsoft Enterprise Analytics Platform') };
    const s = await settled(await ask(query));
    expect(world.toolbox.attempts).toBe(0);
    expect({ techflow: await world.nextStep('TechFlow Migration'), microsoft: await world.nextStep('Microsoft Enterprise Analytics Platform') }).toEqual(before);
    if (proposed === 'none') {
      expect(s.status).toBe('done');
      expect(s.pending_action).toBeUndefined();
      expect(s.response).toMatch(/changed nothing|nothing was (changed|sent)/iu);
    } else {
      expect(s.status).toBe('awaiting_approval');
      expect(s.pending_action!.preview.kind).toBe(proposed);
    }
    if (query.startsWith('can you let Priya')) {
      // Read as a notification (not a field value), and refused before anyone is asked: no destination is set.
      expect(s.response).toContain('set REVOPS_NOTIFY_URL');
    }
    if (query.includes('Verbal Commit')) {
      expect(s.pending_action!.preview).toMatchObject({ record: 'IXIS-Snowflake Cost Replacement', changes: [{ column: 'stage_name', from: 'Negotiate', to: 'Verbal Commit' }] });
    }
  });
});

describe('approve, reject, expire, other callers', () => {
  const QUESTION = 'update the next step on the TechFlow deal to security review';

  it('shows old and new values, then approve writes once with one audit record; a second approve changes nothing', async () => {
    const before = await world.nextStep('TechFlow Migration');
    const id = await ask(QUESTION);
    const waiting = await settled(id);
    expect(waiting).toMatchObject({ status: 'awaiting_approval', pending_action: { status: 'pending', preview: {
      kind: 'update', record: 'TechFlow Migration', changes: [{ column: 'next_step', from: before, to: 'security review' }],
    } } });
    expect(waiting.response).toContain(`- next step: "${before}" → "security review"`);
    expect(await world.nextStep('TechFlow Migration')).toBe(before);

    const [first, other] = await Promise.all([decide(id, 'approve', KEYS[0]!, { 'idempotency-key': 'click-1' }), decide(id, 'approve', KEYS[1]!)]);
    expect(first.status).toBe(202);
    expect(other.status).toBe(404); // another caller's request reads as unknown, like a status read
    const done = await eventually(() => status(id), (s) => s.status === 'done');
    expect(done).toMatchObject({ status: 'done', pending_action: { status: 'done', decided_by: expect.stringMatching(/^key-/u) } });
    expect(done.response).toContain('**Done** — Updated 1 row in opportunities.');
    expect(await world.nextStep('TechFlow Migration')).toBe('security review');
    expect((await decide(id, 'approve')).status).toBe(409);
    expect(world.toolbox).toMatchObject({ attempts: 1, writes: 1 });
    const records = await auditRecords();
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'done', tool: 'firebolt_writer', decided_by: expect.stringMatching(/^key-/u), question: QUESTION,
      preview: { changes: [{ from: before, to: 'security review' }] }, outcome: { ok: true } });
  });

  it('a retried approve with the same Idempotency-Key is one decision', async () => {
    const id = await ask(QUESTION);
    await settled(id);
    const responses = await Promise.all([1, 2, 3].map(() => decide(id, 'approve', KEYS[0]!, { 'idempotency-key': 'same-click' })));
    expect(responses.map((r) => r.status)).toEqual([202, 202, 202]);
    await eventually(() => status(id), (s) => s.status === 'done');
    expect(world.toolbox).toMatchObject({ attempts: 1, writes: 1 });
  });

  it('reject changes nothing and is on record', async () => {
    const before = await world.nextStep('TechFlow Migration');
    const id = await ask(QUESTION);
    await settled(id);
    expect((await decide(id, 'reject')).status).toBe(202);
    const s = await eventually(() => status(id), (x) => x.status === 'done');
    expect(s.response).toBe('Cancelled — nothing was changed.');
    expect(await world.nextStep('TechFlow Migration')).toBe(before);
    expect(world.toolbox.attempts).toBe(0);
    expect((await auditRecords()).map((r) => r.status)).toEqual(['rejected']);
  });

  it('an expired proposal cannot be approved', async () => {
    const before = await world.nextStep('TechFlow Migration');
    const id = await ask(QUESTION);
    await settled(id);
    world.clock.ms += 3601 * 1000;
    const res = await decide(id, 'approve');
    expect(res.status).toBe(410);
    expect(await world.nextStep('TechFlow Migration')).toBe(before);
    expect(world.toolbox.attempts).toBe(0);
    // The expiry is a transition, recorded once: the status, the pending action and the audit log all say so.
    const s = await eventually(() => status(id), (x) => x.pending_action?.status === 'expired');
    expect(s).toMatchObject({ status: 'done', pending_action: { status: 'expired' } });
    expect(s.response).toMatch(/expired before anyone approved it/u);
    expect((await decide(id, 'approve')).status).toBe(410);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await auditRecords()).map((r) => r.status)).toEqual(['expired']);
    const journal = await readFile(join(world.dataDir, 'data', 'approvals', 'pending.jsonl'), 'utf8');
    // Each journal line is "<crc32> <json>".
    const last = journal.trim().split('\n').map((l) => JSON.parse(l.slice(l.indexOf(' ') + 1)) as { id: string; status: string }).filter((a) => a.id === s.pending_action!.id).at(-1);
    expect(last?.status).toBe('expired');
  });
});

describe('signed with WEBHOOK_SIGNING_SECRET', () => {
  const SECRET = 'approvals-signing-secret-0003';
  const QUESTION = 'update the next step on the TechFlow deal to security review';
  /** The signature headers over `text` and, as the body, `text` itself (what a signature over the body alone took). */
  const signed = (path: string, text: string, method = 'POST'): Promise<Response> => fetch(`${url}${path}`, {
    method, headers: { 'content-type': 'application/json', ...signatureHeaders(SECRET, text, world.clock.ms) }, ...(method === 'GET' ? {} : { body: text }),
  });
  beforeEach(async () => {
    await world.close();
    world = await approvalWorld();
    url = (await world.start({ WEBHOOK_API_KEYS: '', WEBHOOK_SIGNING_SECRET: SECRET })).server.url;
  });
  const waiting = async (): Promise<string> => {
    const asked = await signed('/webhook', JSON.stringify({ query: QUESTION, source_system: 'crm_dashboard' }));
    const id = ((await asked.json()) as { tracking_id: string }).tracking_id;
    const s = await eventually(async () => (await signed(`/webhook/${id}`, `GET /webhook/${id}`, 'GET')).json() as Promise<Status>, (x) => x.status === 'awaiting_approval');
    expect(s.pending_action?.status).toBe('pending');
    return id;
  };

  it('reproduction: a status read\'s, a question\'s or a reject\'s signature replayed as an approve is refused and writes nothing', async () => {
    const before = await world.nextStep('TechFlow Migration');
    const id = await waiting();
    for (const text of [`GET /webhook/${id}`, JSON.stringify({ query: QUESTION, source_system: 'crm_dashboard' }), `POST /webhook/${id}/reject`]) {
      const res = await signed(`/webhook/${id}/approve`, text);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(world.toolbox.attempts).toBe(0);
    expect(await world.nextStep('TechFlow Migration')).toBe(before);
  });

  it('an approve signed over its own method and path writes once; replayed, it writes nothing more', async () => {
    const id = await waiting();
    const approve = `POST /webhook/${id}/approve`;
    expect((await signed(`/webhook/${id}/approve`, approve)).status).toBe(202);
    await eventually(async () => (await signed(`/webhook/${id}`, `GET /webhook/${id}`, 'GET')).json() as Promise<Status>, (s) => s.status === 'done');
    expect(await world.nextStep('TechFlow Migration')).toBe('security review');
    expect((await signed(`/webhook/${id}/approve`, approve)).status).toBe(409);
    expect(world.toolbox).toMatchObject({ attempts: 1, writes: 1 });
  });
});

describe('a notification', () => {
  it('waits with its target, recipient and text; approved, it is sent once, with its action id as Idempotency-Key', async () => {
    const receiver = await startReceiver();
    try {
      await world.close();
      world = await approvalWorld((m) => m, { REVOPS_NOTIFY_URL: `${receiver.url}/notify` });
      url = (await world.start()).server.url;
      const id = await ask('can you let Priya know the TechFlow legal review is done?');
      const waiting = await settled(id);
      expect(waiting).toMatchObject({ status: 'awaiting_approval', pending_action: { preview: {
        kind: 'notification', recipient: 'Priya', text: 'the TechFlow legal review is done',
      } } });
      expect(receiver.deliveries).toHaveLength(0);
      await Promise.all([decide(id, 'approve', KEYS[0]!, { 'idempotency-key': 'a' }), decide(id, 'approve', KEYS[0]!, { 'idempotency-key': 'b' })]);
      await eventually(() => status(id), (s) => s.pending_action?.status === 'done');
      await eventually(async () => receiver.deliveries.length, (n) => n >= 1);
      expect(receiver.deliveries).toHaveLength(1);
      expect(JSON.parse(receiver.deliveries[0]!.body)).toMatchObject({ recipient: 'Priya', message: 'the TechFlow legal review is done' });
      expect(receiver.deliveries[0]!.headers['idempotency-key']).toBe(waiting.pending_action!.id);
      expect(world.toolbox).toMatchObject({ attempts: 1, notifications: 1, writes: 0 });
    } finally {
      await receiver.close();
    }
  });
});

describe('a crash between approval and write', () => {
  it('is finished by the restarted server, writing once', async () => {
    // The first server dies right after the approval is on disk and before the write: its perform throws, it is shut
    // down before the decision may be received again (2 s), and a new server over the same data directory finishes.
    await world.close().catch(() => undefined);
    world = await approvalWorld();
    const first = await world.start({}, { backoff: { deliveryMs: () => 0, retryMs: () => 2_000 } });
    url = first.server.url;
    const id = await ask('update the next step on the TechFlow deal to security review');
    await settled(id);
    world.toolbox.crashing = true;
    expect((await decide(id, 'approve')).status).toBe(202);
    await eventually(async () => world.toolbox.attempts, (n) => n >= 1);
    await first.server.close();
    expect(world.toolbox).toMatchObject({ attempts: 1, writes: 0 });
    world.toolbox.crashing = false;
    url = (await world.start()).server.url;
    const done = await eventually(() => status(id), (s) => s.pending_action?.status === 'done');
    expect(done).toMatchObject({ status: 'done', pending_action: { status: 'done' } });
    expect(await world.nextStep('TechFlow Migration')).toBe('security review');
    expect(world.toolbox).toMatchObject({ attempts: 2, writes: 1 });
    expect((await auditRecords()).filter((r) => r.status === 'done')).toHaveLength(1);
  });
});
