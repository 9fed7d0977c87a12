/**
 * Issue 10, defect 7: `kill -9` during a burst with a slow receiver delivered 10 of 151 results twice, both marked
 * `attempt 1`. Delivery is at least once; what makes that honest is a delivery id stable across retries and restarts
 * (`webhook-id`) and an attempt count written before each attempt. The crash between the receiver's 2xx and the
 * success record is simulated on the real file status store: the write of the success fails as the process dies,
 * the store is opened again from its journal (the restart), and a fresh delivery delivers the same outcome again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookDelivery } from '../../../../runtime/channels/webhook/webhookDelivery.ts';
import { createFileStatusStore, type StatusStore } from '../../../../runtime/channels/webhook/statusStore.ts';
import { verifySignature } from '../../../../runtime/channels/webhook/signature.ts';
import { buildOutcome } from '../../../../runtime/processing/outcome.ts';
import { silentLogger } from '../../../../runtime/logging/logger.ts';
import { noMetrics } from '../../../../runtime/metrics/metrics.ts';
import { webhookChannel } from '../../../support/manifest.ts';
import { webhookMessage } from '../../../support/messages.ts';
import { startReceiver, type Receiver } from '../../../support/receiver.ts';

const SECRET = 'delivery-secret-0123456789';
let receiver: Receiver | undefined;
let dir: string | undefined;
afterEach(async () => {
  await receiver?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  receiver = dir = undefined;
});

const deliveryOver = (status: StatusStore, url: string) => createWebhookDelivery({
  channel: webhookChannel(), status, webhookUrl: url, signingSecret: SECRET, logger: silentLogger(), metrics: noMetrics(),
  sleep: async () => undefined,
});

/** The store as the process sees it when it dies right after the receiver answered: the success is never written. */
const dyingAfterSend = (store: StatusStore): StatusStore => ({
  ...store,
  async update(id, patch) {
    if (patch.delivered_at) throw new Error('process killed before the success was recorded');
    return store.update(id, patch);
  },
});

const outcomeOf = (message: ReturnType<typeof webhookMessage>) => {
  const now = new Date().toISOString();
  return buildOutcome(message, [{ type: 'answer', agent: 'manager', at: now, text: 'Forty-two.' }], now, now);
};

describe('webhook delivery is at least once, and says so', () => {
  it('a redelivery after a crash between send and record carries the same webhook-id and says attempt 2', async () => {
    receiver = await startReceiver();
    dir = await mkdtemp(join(tmpdir(), 'revops-delivery-'));
    const path = join(dir, 'status.jsonl');
    const message = webhookMessage();
    const outcome = outcomeOf(message);

    const before = await createFileStatusStore(path);
    await expect(deliveryOver(dyingAfterSend(before), receiver.url).deliver(message, outcome)).rejects.toThrow();
    await before.close();

    const after = await createFileStatusStore(path); // the restart: state is what the journal holds
    await deliveryOver(after, receiver.url).deliver(message, outcome);
    await deliveryOver(after, receiver.url).deliver(message, outcome); // a third receive finds the success
    await after.close();

    const bodies = receiver.accepted();
    expect(bodies).toHaveLength(2);
    expect(bodies.map((b) => (b.webhook_metadata as { delivery_attempt: number }).delivery_attempt)).toEqual([1, 2]);
    const ids = receiver.deliveries.map((d) => d.headers['webhook-id']);
    expect(ids).toEqual([message.webhook.trackingId, message.webhook.trackingId]);
    expect(bodies.map((b) => b.tracking_id)).toEqual(ids); // the signed body vouches for the header
    for (const d of receiver.deliveries) {
      expect(verifySignature({
        secret: SECRET, timestamp: d.headers['x-revops-timestamp'] as string, signature: d.headers['x-revops-signature'] as string,
        body: d.body, nowMs: Date.now(),
      })).toEqual({ ok: true });
    }
    const reopened = await createFileStatusStore(path);
    expect(await reopened.get(message.webhook.trackingId)).toMatchObject({ status: 'done', delivery_attempts: 2, delivered_at: expect.any(String) });
    await reopened.close();
  });

  it('numbers attempts across receives: a message that failed every attempt once goes on from there', async () => {
    receiver = await startReceiver((n) => (n <= 4 ? 503 : 200));
    dir = await mkdtemp(join(tmpdir(), 'revops-delivery-'));
    const status = await createFileStatusStore(join(dir, 'status.jsonl'));
    const message = webhookMessage();
    const outcome = outcomeOf(message);
    await expect(deliveryOver(status, receiver.url).deliver(message, outcome)).rejects.toMatchObject({ code: 'delivery_failed' });
    expect((await status.get(message.webhook.trackingId))?.delivery_attempts).toBe(3);
    await deliveryOver(status, receiver.url).deliver(message, outcome); // the queue's second receive
    await status.close();
    expect(receiver.deliveries.map((d) => [d.status, (JSON.parse(d.body) as { webhook_metadata: { delivery_attempt: number } }).webhook_metadata.delivery_attempt]))
      .toEqual([[503, 1], [503, 2], [503, 3], [503, 4], [200, 5]]);
    expect(new Set(receiver.deliveries.map((d) => d.headers['webhook-id']))).toEqual(new Set([message.webhook.trackingId]));
  });
});
