/**
 * Issue 10, defect 2: an allow-listed receiver answering `307 Location: http://127.0.0.2:…/latest/meta-data/…` made
 * the delivery POST the whole signed result there. Through the real runtime (ingress, queue, processor, delivery):
 * the redirect is reported, naming its status, and the metadata stand-in on 127.0.0.2 receives nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { testRuntime, jsonPost, API_KEY, type TestRuntime } from '../helpers/runtime.ts';
import { testManifest, webhookChannel } from '../helpers/manifest.ts';
import { startLoopbackServer, type LoopbackServer } from '../../tools/helpers/loopbackServer.ts';

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
