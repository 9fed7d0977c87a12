/**
 * Webhook delivery: POSTs the result payload to the operator's WEBHOOK_URL or the request's allowlisted
 * `callback_url`, signed like inbound requests so receivers can verify it; up to `delivery.attempts` tries (3) with
 * exponential backoff and full jitter, `delivery.timeout_s` (30 s) each. A successful delivery is recorded durably
 * before `deliver` returns (and so before the queue message is acked); a redelivered message finds the record and
 * is not delivered again. When every attempt fails, `deliver` throws and the queue retries the message; after
 * `max_receives` it is dead-lettered and the status reads `failed` with `delivery_failed`.
 */
import type { ManifestWebhookChannel } from '../../../compiler/manifest.ts';
import type { Delivery, InboundMessage, Outcome } from '../../processing/inbound.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { fullJitterBackoff } from '../../queue/consumer.ts';
import { buildResultPayload } from './resultPayload.ts';
import { signatureHeaders } from './signature.ts';
import type { StatusStore } from './statusStore.ts';

export interface WebhookDeliveryDeps {
  channel: ManifestWebhookChannel;
  status: StatusStore;
  /** WEBHOOK_URL: set by the operator, trusted. */
  webhookUrl?: string;
  /** WEBHOOK_SIGNING_SECRET: deliveries are signed when set. */
  signingSecret?: string;
  logger: Logger;
  metrics: Metrics;
  fetch?: typeof fetch;
  now?: () => number;
  /** Backoff between attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  backoffMs?: (attempt: number) => number;
}

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly code = 'delivery_failed';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export function createWebhookDelivery(deps: WebhookDeliveryDeps): Delivery {
  const now = deps.now ?? Date.now;
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const backoffMs = deps.backoffMs ?? fullJitterBackoff(1000, 10_000);
  const marked = new Set<string>();
  const iso = (): string => new Date(now()).toISOString();

  const post = async (url: string, body: string): Promise<void> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'revops-webhook/1' };
    if (deps.signingSecret) Object.assign(headers, signatureHeaders(deps.signingSecret, body, now()));
    const response = await doFetch(url, {
      method: 'POST', headers, body, signal: AbortSignal.timeout(deps.channel.delivery.timeoutSeconds * 1000),
    });
    await response.body?.cancel().catch(() => undefined);
    if (!response.ok) throw new Error(`receiver answered HTTP ${response.status}`);
  };

  return {
    async progress(message) {
      if (message.kind !== 'webhook' || marked.has(message.webhook.trackingId)) return;
      marked.add(message.webhook.trackingId);
      await deps.status.update(message.webhook.trackingId, { status: 'processing', updated_at: iso() });
    },

    async deliver(message: InboundMessage, outcome: Outcome) {
      if (message.kind !== 'webhook') throw new DeliveryError(`webhook delivery got a ${message.kind} message`);
      const trackingId = message.webhook.trackingId;
      marked.delete(trackingId);
      const final = {
        status: outcome.status, response: outcome.answer, ...(outcome.error ? { error: outcome.error } : {}),
      } as const;
      if ((await deps.status.get(trackingId))?.delivered_at) return; // delivered before a crash or retry: never twice
      const url = message.webhook.callbackUrl ?? deps.webhookUrl;
      if (!url) {
        await deps.status.update(trackingId, { ...final, updated_at: iso() }); // poll-only: the status is the answer
        return;
      }
      const dims = { source: message.webhook.sourceSystem, request_type: 'webhook', ...(outcome.agent ? { agent: outcome.agent } : {}) };
      let lastError = '';
      for (let attempt = 1; attempt <= deps.channel.delivery.attempts; attempt += 1) {
        if (attempt > 1) await sleep(backoffMs(attempt - 1));
        const at = iso();
        try {
          await post(url, JSON.stringify(buildResultPayload(message, outcome, { at, attempt })));
          await deps.status.update(trackingId, { ...final, updated_at: at, delivered_at: at, delivery_attempts: attempt });
          deps.metrics.emit({ WebhookDeliverySuccess: 1 }, dims);
          return;
        } catch (error) {
          lastError = error instanceof Error ? (error.name === 'TimeoutError' ? 'receiver did not answer in time' : error.message) : String(error);
          deps.metrics.emit({ WebhookDeliveryFailure: 1 }, dims);
          deps.logger.warn('webhook delivery attempt failed', { correlation_id: message.id, tracking_id: trackingId, attempt, error: lastError });
        }
      }
      await deps.status.update(trackingId, { updated_at: iso(), last_delivery_error: lastError });
      throw new DeliveryError(`delivery to the receiver failed after ${deps.channel.delivery.attempts} attempts: ${lastError}`);
    },
  };
}
