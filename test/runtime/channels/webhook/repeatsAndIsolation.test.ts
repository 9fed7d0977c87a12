/**
 * Idempotent intake and isolated results (issue 10, defect 6), through the runtime's app: the Idempotency-Key
 * header, replayed signed requests, and status reads allowed only to the caller that created the request.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signedText } from '../../../../runtime/channels/webhook/auth.ts';
import { signatureHeaders } from '../../../../runtime/channels/webhook/signature.ts';
import { createMemoryStatusStore, type StatusStore } from '../../../../runtime/channels/webhook/statusStore.ts';
import type { MessageQueue } from '../../../../runtime/queue/queue.ts';
import { API_KEY, SIGNING_SECRET, testRuntime, type TestRuntime } from '../../../support/runtime.ts';

const KEY_B = 'second-caller-key-0123456789';
let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.dispose();
  rt = undefined;
});
const start = async (options: Parameters<typeof testRuntime>[0] = {}): Promise<TestRuntime> =>
  (rt = await testRuntime({ ...options, env: { WEBHOOK_API_KEYS: `${API_KEY},${KEY_B}`, ...options.env } }));

const valid = { query: 'What deals are closing this quarter?', source_system: 'crm_dashboard' };
type Caller = 'A' | 'B' | 'signer';
const credentials = (who: Caller, signed: string, nowMs = Date.now()): Record<string, string> =>
  who === 'signer' ? signatureHeaders(SIGNING_SECRET, signed, nowMs) : { authorization: `Bearer ${who === 'A' ? API_KEY : KEY_B}` };
const post = (who: Caller, body: unknown = valid, headers: Record<string, string> = {}): RequestInit => {
  const raw = JSON.stringify(body);
  return { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...credentials(who, raw), ...headers } };
};
const trackingIdOf = async (res: Response): Promise<string> => ((await res.json()) as { tracking_id: string }).tracking_id;
const queued = async (runtime: TestRuntime): Promise<number> => (await runtime.queues.webhook!.stats()).visible;

describe('Idempotency-Key', () => {
  it('answers the same key from the same caller with the same tracking id, and queues one job', async () => {
    const runtime = await start();
    const first = await runtime.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'order-42' }));
    const again = await runtime.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'order-42' }));
    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(await trackingIdOf(again)).toBe(await trackingIdOf(first));
    expect(await queued(runtime)).toBe(1);
  });

  it('keeps callers apart: the same key from another key or the signer is a new request', async () => {
    const runtime = await start();
    const ids = await Promise.all((['A', 'B', 'signer'] as const).map(async (who) =>
      trackingIdOf(await runtime.app.request('/webhook', post(who, valid, { 'Idempotency-Key': 'shared-key' })))));
    expect(new Set(ids).size).toBe(3);
    expect(await queued(runtime)).toBe(3);
  });

  it('answers 422 when a key comes back with another body, and queues nothing for it', async () => {
    const runtime = await start();
    await runtime.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'k-1' }));
    const res = await runtime.app.request('/webhook', post('A', { ...valid, query: 'Another question' }, { 'Idempotency-Key': 'k-1' }));
    expect(res.status).toBe(422);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('idempotency_key_reused');
    expect(await queued(runtime)).toBe(1);
  });

  it.each([
    ['255 visible characters', 'k'.repeat(255), 200],
    ['256 characters', 'k'.repeat(256), 400],
    ['a space inside', 'two words', 400],
  ])('with %s answers %s', async (_name, key, status) => {
    const runtime = await start();
    const res = await runtime.app.request('/webhook', post('A', valid, { 'Idempotency-Key': key }));
    expect(res.status).toBe(status);
    if (status === 400) expect(((await res.json()) as { errors: Array<{ field: string }> }).errors).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
  });

  it('keeps the mapping across a restart of the local server', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'revops-restart-'));
    try {
      const env = { REVOPS_DATA_DIR: dataDir };
      const before = await start({ env });
      const first = await trackingIdOf(await before.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'survives' })));
      await before.dispose();
      const after = await start({ env });
      const again = await after.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'survives' }));
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await trackingIdOf(again)).toBe(first);
      expect(await queued(after)).toBe(1);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('answers with the first request for status_retention_days, and makes a new one after', async () => {
    let clock = Date.parse('2026-03-02T09:00:00.000Z');
    const runtime = await start({ parts: { now: () => new Date(clock) } });
    const first = await trackingIdOf(await runtime.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'weekly' })));
    clock += 7 * 86_400_000 - 1;
    expect(await trackingIdOf(await runtime.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'weekly' })))).toBe(first);
    clock += 1;
    const later = await trackingIdOf(await runtime.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'weekly' })));
    expect(later).not.toBe(first);
    expect((await runtime.app.request(`/webhook/${first}`, { headers: credentials('A', '') })).status).toBe(404);
  });

  it('lets a retry through as a new request when the first could not be queued (503)', async () => {
    let failing = true;
    const inner = await testRuntime();
    const base = inner.queues.webhook!;
    const flaky: MessageQueue = { ...base, send: (m) => (failing ? Promise.reject(new Error('disk full')) : base.send(m)) };
    const runtime = await start({ parts: { queues: { webhook: flaky } } });
    expect((await runtime.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'retry-me' }))).status).toBe(503);
    failing = false;
    const retry = await runtime.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'retry-me' }));
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect((await base.stats()).visible).toBe(1);
    await inner.dispose();
  });
});

describe('a request that never reached the queue', () => {
  it('leaves its claim standing only for its minute of grace: then a retry with the key runs', async () => {
    let clock = Date.parse('2026-03-02T09:00:00.000Z');
    let failing = true;
    const inner = await testRuntime();
    const base = inner.queues.webhook!;
    const flaky: MessageQueue = { ...base, send: (m) => (failing ? Promise.reject(new Error('disk full')) : base.send(m)) };
    // As if the process died after the enqueue failed and before the claim was withdrawn.
    const memory = createMemoryStatusStore({ now: () => clock });
    const status: StatusStore = { ...memory, release: async () => { throw new Error('the process died'); } };
    const runtime = await start({ parts: { queues: { webhook: flaky }, statusStore: () => status, now: () => new Date(clock) } });
    const send = () => runtime.app.request('/webhook', post('A', valid, { 'Idempotency-Key': 'lost-once' }));
    expect((await send()).status).toBe(503);
    failing = false;
    clock += 60_000 - 1;
    expect((await send()).headers.get('idempotent-replayed')).toBe('true');
    expect((await base.stats()).visible).toBe(0);
    clock += 1;
    const retry = await send();
    expect(retry.headers.get('idempotent-replayed')).toBeNull();
    expect((await base.stats()).visible).toBe(1);
    clock += 6 * 86_400_000;
    expect(await trackingIdOf(await send())).toBe(await trackingIdOf(retry));
    await inner.dispose();
  });
});

describe('replayed signed requests', () => {
  it('reproduction: one signed request sent three times in the window is one job with one tracking id', async () => {
    const runtime = await start();
    const init = post('signer');
    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await runtime.app.request('/webhook', init));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(new Set(await Promise.all(answers.map(trackingIdOf))).size).toBe(1);
    expect(await queued(runtime)).toBe(1);
  });

  it('is still the same request when replayed with a new Idempotency-Key', async () => {
    const runtime = await start();
    const init = post('signer');
    const first = await trackingIdOf(await runtime.app.request('/webhook', init));
    const replay = await runtime.app.request('/webhook', { ...init, headers: { ...init.headers as Record<string, string>, 'Idempotency-Key': 'fresh' } });
    expect(await trackingIdOf(replay)).toBe(first);
    expect(await queued(runtime)).toBe(1);
  });

  it('is a new request when signed again (a new timestamp), unless it carries the same Idempotency-Key', async () => {
    const runtime = await start();
    const raw = JSON.stringify(valid);
    const signedAt = (ms: number, key?: string): RequestInit => ({
      method: 'POST', body: raw, headers: { ...signatureHeaders(SIGNING_SECRET, raw, ms), ...(key ? { 'Idempotency-Key': key } : {}) },
    });
    const now = Date.now();
    const a = await trackingIdOf(await runtime.app.request('/webhook', signedAt(now - 6000)));
    const b = await trackingIdOf(await runtime.app.request('/webhook', signedAt(now - 4000)));
    expect(b).not.toBe(a);
    const c = await trackingIdOf(await runtime.app.request('/webhook', signedAt(now - 2000, 'resend')));
    const d = await trackingIdOf(await runtime.app.request('/webhook', signedAt(now, 'resend')));
    expect(d).toBe(c);
    expect(await queued(runtime)).toBe(3);
  });
});

describe('status reads', () => {
  const read = (runtime: TestRuntime, who: Caller, id: string, signed = signedText.statusRead(id).text) =>
    runtime.app.request(`/webhook/${id}`, { headers: credentials(who, signed) });

  it.each([
    ['A', 'A', 200], ['A', 'B', 404], ['A', 'signer', 404],
    ['B', 'A', 404], ['signer', 'signer', 200], ['signer', 'A', 404], ['signer', 'B', 404],
  ] as const)('of a request created by %s, read by %s: %s', async (creator, reader, status) => {
    const runtime = await start();
    const id = await trackingIdOf(await runtime.app.request('/webhook', post(creator)));
    const res = await read(runtime, reader, id);
    expect(res.status).toBe(status);
    const body = (await res.json()) as Record<string, unknown>;
    if (status === 200) {
      expect(body).toMatchObject({ tracking_id: id, status: 'queued' });
      expect(body).not.toHaveProperty('owner');
    } else {
      // Exactly what an unknown id gets, so another caller's ids cannot be told from ids that do not exist.
      const unknown = (await (await read(runtime, reader, 'no-such-id')).json()) as { error: { message: string } };
      expect(body).toEqual({ success: false, error: { code: 'not_found', message: unknown.error.message.replace('no-such-id', id) } });
    }
  });

  it('refuses a status read signed over an empty body or over another request\'s path (401)', async () => {
    const runtime = await start();
    const id = await trackingIdOf(await runtime.app.request('/webhook', post('signer')));
    const other = await trackingIdOf(await runtime.app.request('/webhook', post('signer', { ...valid, query: 'Another one' })));
    expect((await read(runtime, 'signer', id, '')).status).toBe(401);
    expect((await read(runtime, 'signer', id, signedText.statusRead(other).text)).status).toBe(401);
    expect((await read(runtime, 'signer', id)).status).toBe(200);
  });
});

describe('signed decisions', () => {
  /** A signed question whose request waits on an action, and the decisions the ingress queued for it. */
  async function waiting(): Promise<{ runtime: TestRuntime; id: string; decisions: () => Promise<Array<{ dedupeKey: string; approve: boolean }>> }> {
    const status = createMemoryStatusStore();
    const runtime = await start({ parts: { statusStore: () => status } });
    const id = await trackingIdOf(await runtime.app.request('/webhook', post('signer')));
    const record = (await status.get(id))!;
    await status.update(id, { ...record, status: 'awaiting_approval', pending_action: {
      id: 'act-1', tool: 'firebolt_writer', status: 'pending', expires_at: new Date(Date.now() + 3_600_000).toISOString(), preview: {},
    } });
    const decisions = async () => (await runtime.queues.webhook!.receive({ max: 10 }))
      .flatMap(({ message }) => (message.kind === 'webhook' && message.decision ? [{ dedupeKey: message.dedupeKey, approve: message.decision.approve }] : []));
    return { runtime, id, decisions };
  }
  const decide = (runtime: TestRuntime, id: string, verb: 'approve' | 'reject', headers: Record<string, string>, body = '{}') =>
    runtime.app.request(`/webhook/${id}/${verb}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

  it('refuses, as an approve, a signature made for a status read, a question, a reject or another request (401), and queues nothing', async () => {
    const { runtime, id, decisions } = await waiting();
    // Each replayed with the text it signed as the body, which is what a signature over the body alone accepted.
    const signed = {
      'status read': `GET /webhook/${id}`, question: JSON.stringify(valid), reject: `POST /webhook/${id}/reject`,
      'another request': 'POST /webhook/other-id/approve', 'the body alone': '{}',
    };
    for (const [shape, text] of Object.entries(signed)) {
      const res = await decide(runtime, id, 'approve', signatureHeaders(SIGNING_SECRET, text, Date.now()), text);
      expect({ shape, status: res.status }).toEqual({ shape, status: 401 });
      const { error } = (await res.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('invalid_signature');
      expect(error.message).toContain('POST /webhook/<tracking_id>/approve');
    }
    expect(await decisions()).toEqual([]);
  });

  it('takes an approve signed for its own path once: replayed unchanged, even with a new Idempotency-Key, it is the same decision', async () => {
    const { runtime, id, decisions } = await waiting();
    const headers = signatureHeaders(SIGNING_SECRET, `POST /webhook/${id}/approve`, Date.now());
    const answers = [
      await decide(runtime, id, 'approve', headers),
      await decide(runtime, id, 'approve', headers),
      await decide(runtime, id, 'approve', { ...headers, 'Idempotency-Key': 'fresh' }),
    ];
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202]);
    // One dedupe key: the embedded queue keeps one message for it, and the processor's done-set runs one (SQS).
    expect(await decisions()).toEqual([{ dedupeKey: expect.stringMatching(new RegExp(`^decision:${id}:signed:`, 'u')), approve: true }]);
  });
});
