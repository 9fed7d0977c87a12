import { afterEach, describe, expect, it } from 'vitest';
import { testRuntime, jsonPost, API_KEY, SIGNING_SECRET, type TestRuntime } from '../../../support/runtime.ts';
import { slackChannel, testManifest, webhookChannel } from '../../../support/manifest.ts';
import { signatureHeaders } from '../../../../runtime/channels/webhook/signature.ts';
import { createMemoryStatusStore, type StatusStore } from '../../../../runtime/channels/webhook/statusStore.ts';
import type { WebhookInbound } from '../../../../runtime/processing/inbound.ts';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

let rt: TestRuntime | undefined;
afterEach(async () => {
  await rt?.dispose();
  rt = undefined;
});
const start = async (channel = webhookChannel(), env: Record<string, string> = {}): Promise<TestRuntime> =>
  (rt = await testRuntime({ manifest: testManifest(channel), env }));
const valid = { query: 'What deals are closing this quarter?', source_system: 'crm_dashboard' };
const errorsOf = async (res: Response): Promise<Array<{ field: string; message: string }>> =>
  ((await res.json()) as { errors: Array<{ field: string; message: string }> }).errors;

describe('POST /webhook accepts', () => {
  it('answers the seed\'s 200 with a tracking id, X-Request-ID and CORS, and queues the message', async () => {
    const { app, queues } = await start();
    const res = await app.request('/webhook', jsonPost({ ...valid, source_process: 'quarterly_review', timestamp: '2025-08-16T16:30:00Z' }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ success: true, message: 'Request queued for processing', status: 'queued' });
    expect(body.tracking_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(body.queued_at as string))).toBe(false);
    expect(res.headers.get('x-request-id')).toBe(body.tracking_id);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-expose-headers')).toContain('X-Request-ID');
    // Read by browsers from a preflight's answer only.
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
    const [received] = await queues.webhook!.receive({ max: 10 });
    expect(received?.message).toMatchObject({
      kind: 'webhook', dedupeKey: body.tracking_id, agent: 'manager', text: valid.query,
      webhook: { trackingId: body.tracking_id, sourceSystem: 'crm_dashboard', sourceProcess: 'quarterly_review' },
    });
  });

  it('answers the same CORS preflight on every webhook route', async () => {
    const { app } = await start();
    const answers = [];
    for (const path of ['/webhook', '/webhook/trk-1', '/webhook/trk-1/approve', '/webhook/trk-1/reject']) {
      const res = await app.request(path, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
      expect({ path, status: res.status }).toEqual({ path, status: 204 });
      expect(res.headers.get('access-control-allow-headers')).toContain('Authorization');
      expect(res.headers.get('access-control-allow-methods')).toContain('POST');
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      answers.push(Object.fromEntries(res.headers));
    }
    expect(new Set(answers.map((headers) => JSON.stringify(headers))).size).toBe(1);
  });

  it('reports the status of a queued request, behind the same authentication', async () => {
    const { app } = await start();
    const { tracking_id: id } = (await (await app.request('/webhook', jsonPost(valid))).json()) as { tracking_id: string };
    expect((await app.request(`/webhook/${id}`)).status).toBe(401);
    const res = await app.request(`/webhook/${id}`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(await res.json()).toMatchObject({ tracking_id: id, status: 'queued', source_system: 'crm_dashboard' });
    expect((await app.request('/webhook/unknown-id', { headers: { authorization: `Bearer ${API_KEY}` } })).status).toBe(404);
  });
});

describe('the queued status, kept by the embedded queue', () => {
  it('is written once, with the message, and rebuilt from the queue after a restart, still readable by its owner only', async () => {
    const first = await start(webhookChannel({ auth: { bearer: true, hmac: true } }));
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(((await (await first.app.request('/webhook', jsonPost({ ...valid, query: `${valid.query} ${i}` }))).json()) as { tracking_id: string }).tracking_id);
    }
    const [done] = await first.queues.webhook!.receive({ max: 1 });
    await first.processor.process(done!.message, 1);
    await first.queues.webhook!.ack(done!.receiptHandle);
    // Only the processed request reached the status journal; the other two are in the queue's journal alone.
    const statusJournal = await readFile(join(first.dataDir, 'webhook', 'status.jsonl'), 'utf8');
    const queueJournal = await readFile(join(first.dataDir, 'queue', 'webhook', 'journal.jsonl'), 'utf8');
    const waiting = ids.filter((id) => id !== (done!.message as WebhookInbound).webhook.trackingId);
    for (const id of waiting) {
      expect(statusJournal).not.toContain(id);
      expect(queueJournal).toContain(id);
    }
    const dataDir = first.dataDir;
    await first.close();

    const second = (rt = await testRuntime({ manifest: testManifest(webhookChannel({ auth: { bearer: true, hmac: true } })), dataDir }));
    try {
      const read = (id: string, headers: Record<string, string>) => second.app.request(`/webhook/${id}`, { headers });
      for (const id of waiting) {
        const res = await read(id, { authorization: `Bearer ${API_KEY}` });
        expect(await res.json()).toMatchObject({ tracking_id: id, status: 'queued', source_system: 'crm_dashboard' });
        // Another caller (the signer) reads it as unknown, as before the restart.
        expect((await read(id, signatureHeaders(SIGNING_SECRET, `GET /webhook/${id}`, Date.now()))).status).toBe(404);
      }
      const processed = await (await read((done!.message as WebhookInbound).webhook.trackingId, { authorization: `Bearer ${API_KEY}` })).json();
      expect(processed).toMatchObject({ status: 'done', source_system: 'crm_dashboard' });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('POST /webhook validates every field', () => {
  const long = (n: number): string => 'x'.repeat(n);
  it.each([
    ['query missing', { source_system: 'a' }, 'query'],
    ['query empty', { query: '  ', source_system: 'a' }, 'query'],
    ['query not a string', { query: 42, source_system: 'a' }, 'query'],
    ['query over 1000 characters', { query: long(1001), source_system: 'a' }, 'query'],
    ['source_system missing', { query: 'q' }, 'source_system'],
    ['source_system with a hyphen', { query: 'q', source_system: 'crm-dashboard' }, 'source_system'],
    ['source_system with a space', { query: 'q', source_system: 'crm dashboard' }, 'source_system'],
    ['source_process not a string', { query: 'q', source_system: 'a', source_process: 7 }, 'source_process'],
    ['timestamp not ISO 8601', { query: 'q', source_system: 'a', timestamp: '16/08/2025' }, 'timestamp'],
    ['timestamp impossible date', { query: 'q', source_system: 'a', timestamp: '2025-13-40T10:00:00Z' }, 'timestamp'],
    ['callback_url off the allowlist', { query: 'q', source_system: 'a', callback_url: 'http://10.0.0.1/steal' }, 'callback_url'],
    ['callback_url other scheme', { query: 'q', source_system: 'a', callback_url: 'https://127.0.0.1/x' }, 'callback_url'],
    ['session_id with spaces', { query: 'q', source_system: 'a', session_id: 'a b' }, 'session_id'],
  ])('rejects %s with 400 naming the field', async (_name, body, field) => {
    const { app } = await start();
    const res = await app.request('/webhook', jsonPost(body));
    expect(res.status).toBe(400);
    expect((await errorsOf(res)).map((e) => e.field)).toEqual([field]);
  });

  it.each([
    ['query of exactly 1000 characters', { query: long(1000), source_system: 'a' }],
    ['1000 astral characters (counted as characters, not UTF-16 units)', { query: '😀'.repeat(1000), source_system: 'a' }],
    ['allowlisted callback_url and a session id', { query: 'q', source_system: 'A_1', callback_url: 'http://127.0.0.1/hooks', session_id: 'thread-1' }],
    ['timestamp with offset', { query: 'q', source_system: 'a', timestamp: '2025-08-16T16:30:00.123+02:00' }],
  ])('accepts %s', async (_name, body) => {
    const { app } = await start(webhookChannel({ limits: { maxQueryChars: 1000, maxBodyBytes: 8192, ratePerMinute: 100 } }));
    expect((await app.request('/webhook', jsonPost(body))).status).toBe(200);
  });

  it('reports every invalid field at once', async () => {
    const { app } = await start();
    const res = await app.request('/webhook', jsonPost({ query: '', source_system: 'a-b', timestamp: 'yesterday' }));
    expect((await errorsOf(res)).map((e) => e.field)).toEqual(['query', 'source_system', 'timestamp']);
  });

  it.each([['{"query": "q", '], ['not json'], ['']])('answers invalid JSON %j with 400, not 500 or a stack', async (raw) => {
    const { app } = await start();
    const res = await app.request('/webhook', jsonPost(raw));
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ success: false, errors: [{ field: 'body', message: 'is not valid JSON' }] });
  });

  it.each([[[1, 2]], ['"a string"'], [null]])('rejects a JSON body that is not an object (%j)', async (body) => {
    const { app } = await start();
    const res = await app.request('/webhook', jsonPost(JSON.stringify(body)));
    expect(res.status).toBe(400);
    expect((await errorsOf(res))[0]?.field).toBe('body');
  });
});

describe('POST /webhook limits', () => {
  it('answers 413 when Content-Length exceeds max_body_bytes', async () => {
    const { app } = await start();
    const res = await app.request('/webhook', jsonPost(valid, { 'content-length': '4097' }));
    expect(res.status).toBe(413);
  });

  it('answers 413 when the bytes actually sent exceed the limit without a Content-Length', async () => {
    const { app } = await start();
    const big = JSON.stringify({ ...valid, source_process: 'p'.repeat(5000) });
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const res = await app.request('/webhook', { ...jsonPost(''), body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('accepts a body of exactly max_body_bytes', async () => {
    const { app } = await start();
    const base = JSON.stringify({ ...valid, source_process: '' });
    const body = JSON.stringify({ ...valid, source_process: 'p'.repeat(4096 - base.length) });
    expect(Buffer.byteLength(body)).toBe(4096);
    const res = await app.request('/webhook', jsonPost(body));
    expect(res.status).not.toBe(413);
  });

  it('answers 429 with Retry-After once a caller exceeds rate_per_minute, per API key', async () => {
    const { app } = await start(webhookChannel({ limits: { maxQueryChars: 1000, maxBodyBytes: 4096, ratePerMinute: 2 } }));
    expect((await app.request('/webhook', jsonPost(valid))).status).toBe(200);
    expect((await app.request('/webhook', jsonPost(valid))).status).toBe(200);
    const res = await app.request('/webhook', jsonPost(valid));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });
});

describe('POST /webhook authentication', () => {
  const signed = (body: string, nowMs = Date.now(), secret = SIGNING_SECRET): RequestInit => ({
    method: 'POST', body, headers: { 'content-type': 'application/json', ...signatureHeaders(secret, body, nowMs) },
  });
  const codeOf = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;

  it('rejects a request without credentials (401)', async () => {
    const { app } = await start();
    const res = await app.request('/webhook', { method: 'POST', body: JSON.stringify(valid) });
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('missing_credentials');
  });

  it('rejects a wrong bearer key (401)', async () => {
    const { app } = await start();
    const res = await app.request('/webhook', jsonPost(valid, { authorization: 'Bearer not-the-right-key-at-all' }));
    expect(res.status).toBe(401);
    expect(await codeOf(res)).toBe('invalid_api_key');
  });

  it('accepts any of several comma-separated keys', async () => {
    const { app } = await start(webhookChannel(), { WEBHOOK_API_KEYS: `first-key-0123456789, ${API_KEY}` });
    expect((await app.request('/webhook', jsonPost(valid))).status).toBe(200);
  });

  it('accepts a valid HMAC signature over timestamp and body', async () => {
    const { app } = await start();
    expect((await app.request('/webhook', signed(JSON.stringify(valid)))).status).toBe(200);
  });

  it('rejects a signature made with another secret, or over another body (401)', async () => {
    const { app } = await start();
    const wrongSecret = await app.request('/webhook', signed(JSON.stringify(valid), Date.now(), 'another-secret'));
    expect(wrongSecret.status).toBe(401);
    expect(await codeOf(wrongSecret)).toBe('invalid_signature');
    const init = signed(JSON.stringify(valid));
    const tampered = await app.request('/webhook', { ...init, body: JSON.stringify({ ...valid, query: 'drop everything' }) });
    expect(tampered.status).toBe(401);
  });

  it('rejects a signature older than 5 minutes (401 stale_timestamp) and accepts one just inside', async () => {
    const { app } = await start();
    const stale = await app.request('/webhook', signed(JSON.stringify(valid), Date.now() - 301_000));
    expect(stale.status).toBe(401);
    expect(await codeOf(stale)).toBe('stale_timestamp');
    expect((await app.request('/webhook', signed(JSON.stringify(valid), Date.now() - 295_000))).status).toBe(200);
  });

  it('does not accept HMAC when the spec enables only bearer keys', async () => {
    const { app } = await start(webhookChannel({ auth: { bearer: true, hmac: false } }));
    expect((await app.request('/webhook', signed(JSON.stringify(valid)))).status).toBe(401);
  });

  it('answers 503 auth_not_configured when the spec requires auth and nothing is configured', async () => {
    const { app } = await start(webhookChannel(), { WEBHOOK_API_KEYS: '', WEBHOOK_SIGNING_SECRET: '' });
    const res = await app.request('/webhook', { method: 'POST', body: JSON.stringify(valid) });
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('auth_not_configured');
    expect(body.error.message).toContain('WEBHOOK_API_KEYS');
  });

  it('accepts anonymous requests only when the spec says auth: none', async () => {
    const { app } = await start(webhookChannel({ auth: 'none' }), { WEBHOOK_API_KEYS: '', WEBHOOK_SIGNING_SECRET: '' });
    expect((await app.request('/webhook', { method: 'POST', body: JSON.stringify(valid) })).status).toBe(200);
  });
});

describe('other routes', () => {
  it('answers POST /slack/events with 503 and what to set when Slack is not configured', async () => {
    const channel = webhookChannel();
    const manifest = testManifest(channel);
    manifest.channels.push(slackChannel({ acknowledgement: 'On it', progress: { minIntervalMs: 1000, maxUpdates: 18 } }));
    rt = await testRuntime({ manifest });
    const res = await rt.app.request('/slack/events', { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    expect(JSON.stringify(await res.json())).toContain('SLACK_SIGNING_SECRET');
    expect((await rt.app.request('/healthz')).status).toBe(200);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const { app } = await start();
    const res = await app.request('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ success: false, error: { code: 'not_found' } });
  });
});

describe('POST /webhook where the platform freezes the process after the response (Lambda)', () => {
  // A status store whose writes finish only when the test lets them: shows whether the 200 waited for the write.
  const slowStatus = () => {
    const inner = createMemoryStatusStore();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const store: StatusStore = { ...inner, update: async (id, patch) => { await gate; await inner.update(id, patch); } };
    return { release: () => release(), store };
  };

  it.each([
    [true, 'writes the queued status before answering'],
    [false, 'answers without waiting for the status write locally'],
  ])('frozenAfterResponse=%s %s', async (frozen) => {
    const slow = slowStatus();
    const runtime = (rt = await testRuntime({
      manifest: testManifest(webhookChannel()),
      parts: { statusStore: () => slow.store, frozenAfterResponse: frozen },
    }));
    const answered = Promise.resolve(runtime.app.request('/webhook', jsonPost(valid))).then((res) => res.status);
    const first = await Promise.race([answered, new Promise((resolve) => setTimeout(() => resolve('pending'), 200))]);
    expect(first).toBe(frozen ? 'pending' : 200);
    slow.release();
    const res = await runtime.app.request('/webhook', jsonPost(valid));
    expect(await answered).toBe(200);
    const { tracking_id: id } = (await res.json()) as { tracking_id: string };
    expect(await slow.store.get(id)).toMatchObject({ status: 'queued' });
  });
});
