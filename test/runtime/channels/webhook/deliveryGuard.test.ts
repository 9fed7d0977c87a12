/**
 * Issue 10, defect 2: an allow-listed receiver answering `307 Location: http://127.0.0.2:…/latest/meta-data/…` made
 * the delivery POST the whole signed result there. Through the real runtime (ingress, queue, processor, delivery):
 * the redirect is reported, naming its status, and the metadata stand-in on 127.0.0.2 receives nothing. And a
 * callback matched only by a wildcard pattern is not delivered to a private address its name resolves to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testRuntime, jsonPost, API_KEY, type TestRuntime } from '../../../support/runtime.ts';
import { testManifest, webhookChannel } from '../../../support/manifest.ts';
import { startLoopbackServer, type LoopbackServer } from '../../../support/loopbackServer.ts';
import { createWebhookDelivery } from '../../../../runtime/channels/webhook/webhookDelivery.ts';
import { createMemoryStatusStore } from '../../../../runtime/channels/webhook/statusStore.ts';
import { buildOutcome } from '../../../../runtime/processing/outcome.ts';
import { silentLogger } from '../../../../runtime/logging/logger.ts';
import { noMetrics } from '../../../../runtime/metrics/metrics.ts';
import { webhookMessage } from '../../../support/messages.ts';

let rt: TestRuntime | undefined;
let servers: LoopbackServer[] = [];
afterEach(async () => {
  await rt?.dispose();
  await Promise.all(servers.map((s) => s.close()));
  rt = undefined;
  servers = [];
});

const statusOf = async (runtime: TestRuntime, id: string): Promise<Record<string, unknown>> =>
  (await (await runtime.app.request(`/webhook/${id}`, { headers: { authorization: `Bearer ${API_KEY}` } })).json()) as Record<string, unknown>;

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await check()); i += 1) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await check()).toBe(true);
}

describe('webhook delivery and redirects', () => {
  it.each([301, 302, 303, 307, 308])('an allow-listed callback answering %i towards 127.0.0.2 is not followed', async (status) => {
    const metadata = await startLoopbackServer(() => ({ status: 200, body: { AccessKeyId: 'ASIA…' } }), '127.0.0.2');
    const receiver = await startLoopbackServer(() => ({
      status, headers: { location: `http://127.0.0.2:${metadata.port}/latest/meta-data/iam/security-credentials/` },
    }));
    servers.push(metadata, receiver);
    const channel = webhookChannel({ callbackAllow: [`${receiver.url}/hooks/`], delivery: { attempts: 1, timeoutSeconds: 5 } });
    rt = await testRuntime({ manifest: testManifest(channel), parts: { backoff: { deliveryMs: () => 0, retryMs: () => 0 } } });
    rt.startConsumers();
    const res = await rt.app.request('/webhook', jsonPost({ query: 'status of the IXIS deal', source_system: 'crm', callback_url: `${receiver.url}/hooks/result` }));
    const { tracking_id: id } = (await res.json()) as { tracking_id: string };
    const runtime = rt;
    await until(async () => ['done', 'failed'].includes((await statusOf(runtime, id)).status as string));
    expect(metadata.requests).toEqual([]);
    expect((await statusOf(runtime, id)).status).toBe('failed');
    expect(receiver.requests.length).toBeGreaterThan(0);
    const error = (await statusOf(runtime, id)).error as { code: string; message: string };
    expect(error.code).toBe('delivery_failed');
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain('redirects are not followed');
  });
});

describe('webhook delivery and restricted addresses', () => {
  const deliverTo = async (receiver: LoopbackServer, callbackAllow: string[], host: string) => {
    const status = createMemoryStatusStore();
    const delivery = createWebhookDelivery({
      channel: webhookChannel({ callbackAllow }), status, logger: silentLogger(), metrics: noMetrics(), sleep: async () => undefined,
      resolveHost: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const message = webhookMessage({ webhook: { trackingId: 't-1', sessionId: 't-1', sourceSystem: 'crm', callbackUrl: `http://${host}:${receiver.port}/hooks/x` } });
    const now = new Date().toISOString();
    const outcome = buildOutcome(message, [{ type: 'answer', agent: 'manager', at: now, text: 'Forty-two.' }], now, now);
    const result = await delivery.deliver(message, outcome).then(() => 'delivered', (error: Error) => error.message);
    return { result, record: await status.get('t-1') };
  };

  it('refuses a wildcard-matched callback whose name resolves to loopback, once, without retrying', async () => {
    const receiver = await startLoopbackServer(() => ({ status: 200 }));
    servers.push(receiver);
    const { result, record } = await deliverTo(receiver, [`http://*.receiver.test:${receiver.port}/hooks/`], 'hooks.receiver.test');
    expect(result).toBe('delivery to the receiver failed after 1 attempt: receiver resolves to loopback address 127.0.0.1; ' +
      'private, loopback and link-local addresses are reached only through a host the configuration names explicitly (an allow pattern without *)');
    expect(record).toMatchObject({ delivery_attempts: 1, last_delivery_error: expect.stringContaining('loopback address 127.0.0.1') });
    expect(receiver.requests).toHaveLength(0);
  });

  it('delivers to the same receiver when a pattern names its host', async () => {
    const receiver = await startLoopbackServer(() => ({ status: 200 }));
    servers.push(receiver);
    const { result, record } = await deliverTo(receiver, [`http://hooks.receiver.test:${receiver.port}/hooks/`], 'hooks.receiver.test');
    expect(result).toBe('delivered');
    expect(record).toMatchObject({ status: 'done', delivery_attempts: 1 });
    expect(receiver.requests).toHaveLength(1);
  });
});
