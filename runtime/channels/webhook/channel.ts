/**
 * The webhook channel kind (channelKind.ts). Its ingress and delivery share the request status store, which the
 * callers read (`GET /webhook/{tracking_id}`) and a dead-lettered request is marked `failed` in. The ingress and the
 * delivery are imported by the role that uses them only.
 */
import { join } from 'node:path';
import type { ChannelKind } from '../channelKind.ts';
import { webhookRoutes } from './routes.ts';
import { createFileStatusStore } from './statusStore.ts';

const DAY_MS = 86_400_000;
const ingressModule = () => import('./ingress.ts');
const deliveryModule = () => import('./webhookDelivery.ts');

export const webhookChannel: ChannelKind<'webhook'> = {
  async open(setup) {
    const { channel, config, logger, metrics } = setup;
    const now = () => setup.now().getTime();
    const retention = { retentionMs: channel.statusRetentionDays * DAY_MS, now };
    const status = setup.statusStore?.(retention)
      ?? await createFileStatusStore(join(setup.dataDir, 'webhook', 'status.jsonl'), { ...retention, onJournalDamage: setup.onJournalDamage });
    const signingSecret = config.webhook.signingSecret ? { signingSecret: config.webhook.signingSecret } : {};
    return {
      async ingress(queue) {
        const { createWebhookIngress, queuedStatusOf } = await ingressModule();
        const held = queue.heldMessage?.bind(queue);
        const queuedStatus = setup.frozenAfterResponse ? 'before_enqueue' : held && status.readThrough ? 'from_queue' : 'alongside';
        // A request's 'queued' record is its message on the queue (dedupe key = tracking id) until its first update.
        if (queuedStatus === 'from_queue') {
          status.readThrough!((trackingId) => {
            const message = held!(trackingId);
            return message?.kind === 'webhook' && !message.decision && message.webhook.trackingId === trackingId ? queuedStatusOf(message) : undefined;
          });
        }
        return webhookRoutes({
          ingress: createWebhookIngress({
            channel, secrets: { apiKeys: config.webhook.apiKeys, ...signingSecret }, queue, status, logger, metrics, now, queuedStatus,
          }),
          maxBodyBytes: channel.limits.maxBodyBytes, metrics,
        });
      },
      delivery: async () => (await deliveryModule()).createWebhookDelivery({
        channel, status, logger, metrics, ...signingSecret,
        ...(config.webhook.url ? { webhookUrl: config.webhook.url } : {}),
        ...(setup.deliveryBackoffMs ? { backoffMs: setup.deliveryBackoffMs } : {}),
      }),
      async deadLettered(dead) {
        if (dead.message.kind !== 'webhook') return;
        await status.update(dead.message.webhook.trackingId, {
          status: 'failed', updated_at: setup.now().toISOString(),
          error: { code: 'delivery_failed', message: dead.lastError ?? `failed ${dead.receiveCount} times` },
        }).catch((error: unknown) => logger.error('status write failed', { correlation_id: dead.message.id, error }));
      },
      close: () => status.close(),
    };
  },
  unserved: (metrics) => webhookRoutes({ metrics }),
  processed: (message) => ({ source: message.webhook.sourceSystem }),
  preload: { ingress: ingressModule, delivery: deliveryModule, ingressKeepsStatus: true },
};
