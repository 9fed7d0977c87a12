import { afterEach, describe, expect, it } from 'vitest';
import { testRuntime, jsonPost, API_KEY, SIGNING_SECRET, type TestRuntime } from '../helpers/runtime.ts';
import { testManifest, webhookChannel } from '../helpers/manifest.ts';
import { scriptedEngine } from '../helpers/engines.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { verifySignature } from '../../../runtime/channels/webhook/signature.ts';
import { createWebhookDelivery } from '../../../runtime/channels/webhook/webhookDelivery.ts';
import { createMemoryStatusStore } from '../../../runtime/channels/webhook/statusStore.ts';
import { buildOutcome } from '../../../runtime/processing/outcome.ts';
import { silentLogger } from '../../../runtime/logging/logger.ts';
import { noMetrics } from '../../../runtime/metrics/metrics.ts';
import { webhookMessage } from '../helpers/messages.ts';
import type { Engine } from '../../../runtime/engines/engine.ts';

let rt: TestRuntime | undefined;
let receiver: Receiver | undefined;
afterEach(async () => {
  await rt?.dispose();
  await receiver?.close();
  rt = receiver = undefined;
});

const noWait = { deliveryMs: () => 0, retryMs: () => 0 };
async function serve(options: { statusFor?: (n: number) => number; engine?: Engine; env?: Record<string, string>; callbackToReceiver?: boolean } = {}) {
  receiver = await startReceiver(options.statusFor);
  const channel = webhookChannel({ callbackAllow: [new URL('/hooks/', receiver.url).href] });
  rt = await testRuntime({
    manifest: testManifest(channel), engine: options.engine ?? scriptedEngine(),
    env: { ...(options.callbackToReceiver ? {} : { WEBHOOK_URL: receiver.url }), ...options.env }, parts: { backoff: noWait },
  });
  rt.startConsumers();
  return { rt, receiver };
}
const ask = async (runtime: TestRuntime, body: Record<string, unknown> = {}): Promise<string> => {
  const res = await runtime.app.request('/webhook', jsonPost({ query: 'status of the IXIS deal', source_system: 'crm', source_process: 'review', ...body }));
  expect(res.status).toBe(200);
  return ((await res.json()) as { tracking_id: string }).tracking_id;
};
const statusOf = async (runtime: TestRuntime, id: string): Promise<Record<string, unknown>> =>
  (await (await runtime.app.request(`/webhook/${id}`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as Record<string, unknown>;
const until = async (check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('webhook delivery', () => {
  it('delivers the seed\'s result payload to WEBHOOK_URL, signed so the receiver can verify it', async () => {
    const { rt, receiver } = await serve();
    const id = await ask(rt);
    await receiver.waitFor(() => receiver.deliveries.length === 1);
    const [delivery] = receiver.deliveries;
    const check = verifySignature({
      secret: SIGNING_SECRET, timestamp: delivery!.headers['x-revops-timestamp'] as string,
      signature: delivery!.headers['x-revops-signature'] as string, body: delivery!.body, nowMs: Date.now(),
    });
    expect(check).toEqual({ ok: true });
    const payload = JSON.parse(delivery!.body) as Record<string, any>;
    expect(payload).toMatchObject({
      tracking_id: id, status: 'done', source_system: 'crm', source_process: 'review', original_query: 'status of the IXIS deal',
      ai_response: { session_id: id }, processing_metadata: { queries_executed: 1, data_sources: ['deal_lookup'] },
      webhook_metadata: { delivery_attempt: 1 }, error: null,
    });
    expect(payload.ai_response.response).toContain('Answer to: status of the IXIS deal');
    expect(payload.ai_response.response_plain).not.toContain('**');
    expect(payload.processing_metadata.agents_invoked).toEqual(expect.arrayContaining(['manager', 'deal_analysis']));
    await until(async () => (await statusOf(rt, id)).status === 'done');
    expect(await statusOf(rt, id)).toMatchObject({ status: 'done', delivery_attempts: 1, response: payload.ai_response.response });
  });

  it('delivers to an allowlisted callback_url instead of WEBHOOK_URL', async () => {
    const { rt, receiver } = await serve({ callbackToReceiver: true });
    const callback = new URL('/hooks/per-request', receiver.url).href;
    const id = await ask(rt, { callback_url: callback });
    await receiver.waitFor(() => receiver.deliveries.length === 1);
    expect(JSON.parse(receiver.deliveries[0]!.body).tracking_id).toBe(id);
  });

  it('a receiver that fails twice then succeeds gets exactly one successful delivery', async () => {
    const { rt, receiver } = await serve({ statusFor: (n) => (n <= 2 ? 503 : 200) });
    const id = await ask(rt);
    await until(async () => (await statusOf(rt, id)).status === 'done');
    await new Promise((resolve) => setTimeout(resolve, 300)); // would any retry still arrive?
    expect(receiver.deliveries.map((d) => d.status)).toEqual([503, 503, 200]);
    expect(receiver.accepted()).toHaveLength(1);
    expect(receiver.accepted()[0]).toMatchObject({ tracking_id: id, webhook_metadata: { delivery_attempt: 3 } });
    expect((await rt.queues.webhook!.stats())).toEqual({ visible: 0, inFlight: 0, deadLettered: 0 });
  });

  it('a receiver that always fails leaves the request in the dead-letter queue with its error, visible as failed', async () => {
    const { rt, receiver } = await serve({ statusFor: () => 500 });
    const id = await ask(rt);
    await until(async () => (await statusOf(rt, id)).status === 'failed');
    const status = await statusOf(rt, id);
    expect(status.error).toMatchObject({ code: 'delivery_failed' });
    expect(String((status.error as { message: string }).message)).toContain('HTTP 500');
    const dead = await rt.queues.webhook!.deadLetters();
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ receiveCount: 3, message: { dedupeKey: id } });
    expect(dead[0]!.lastError).toContain('HTTP 500');
    expect(receiver.deliveries).toHaveLength(9); // 3 receives x 3 attempts
    expect(receiver.accepted()).toHaveLength(0);
  });

  it('a dead letter of a message another delivery already answered leaves the request answered', async () => {
    const { rt } = await serve();
    const id = await ask(rt);
    await until(async () => (await statusOf(rt, id)).status === 'done');
    const lastError = 'another delivery of this message is being processed; the queue will offer it again';
    await rt.deadLettered('webhook', { messageId: 'late', message: webhookMessage({ trackingId: id }), receiveCount: 3, lastError });
    expect(await statusOf(rt, id)).toMatchObject({ status: 'done' });
  });

  it('when the agents fail, the caller still gets a delivery saying so, with the error and the tracking id', async () => {
    const { rt, receiver } = await serve({ engine: scriptedEngine({ fail: () => true }) });
    const id = await ask(rt);
    await receiver.waitFor(() => receiver.deliveries.length === 1);
    const payload = JSON.parse(receiver.deliveries[0]!.body) as Record<string, any>;
    expect(payload).toMatchObject({ tracking_id: id, status: 'failed', error: { code: 'model_unavailable' } });
    expect(payload.ai_response.response).toMatch(/^Sorry/);
    expect(payload.ai_response.response).not.toMatch(/at .*\.ts:\d+/);
    await until(async () => (await statusOf(rt, id)).status === 'failed');
  });

  it('without WEBHOOK_URL or callback_url the answer is kept for polling', async () => {
    const { rt, receiver } = await serve({ callbackToReceiver: true });
    const id = await ask(rt);
    await until(async () => (await statusOf(rt, id)).status === 'done');
    expect(String((await statusOf(rt, id)).response)).toContain('status of the IXIS deal');
    expect(receiver.deliveries).toHaveLength(0);
  });
});

describe('webhook delivery is never repeated after a success', () => {
  it('a message delivered once is not delivered again when deliver is called for it a second time', async () => {
    receiver = await startReceiver();
    const status = createMemoryStatusStore();
    const delivery = createWebhookDelivery({
      channel: webhookChannel(), status, webhookUrl: receiver.url, logger: silentLogger(), metrics: noMetrics(), sleep: async () => undefined,
    });
    const message = webhookMessage();
    const now = new Date().toISOString();
    const outcome = buildOutcome(message, [{ type: 'answer', agent: 'manager', at: now, text: 'Forty-two.' }], now, now);
    await delivery.deliver(message, outcome);
    await delivery.deliver(message, outcome);
    expect(receiver.deliveries).toHaveLength(1);
    expect((await status.get(message.webhook.trackingId))?.delivered_at).toBeDefined();
  });

  it('throws after all attempts fail so the queue retries', async () => {
    receiver = await startReceiver(() => 502);
    const delivery = createWebhookDelivery({
      channel: webhookChannel(), status: createMemoryStatusStore(), webhookUrl: receiver.url, logger: silentLogger(),
      metrics: noMetrics(), sleep: async () => undefined,
    });
    const message = webhookMessage();
    const now = new Date().toISOString();
    const outcome = buildOutcome(message, [{ type: 'answer', agent: 'manager', at: now, text: 'x' }], now, now);
    await expect(delivery.deliver(message, outcome)).rejects.toMatchObject({ code: 'delivery_failed' });
    expect(receiver.deliveries).toHaveLength(3);
  });
});
