/**
 * Webhook delivery: POSTs the result payload to the operator's WEBHOOK_URL or the request's allowlisted
 * `callback_url`, signed like inbound requests so receivers can verify it, through the outbound guard (runtime/net:
 * no redirect followed, restricted addresses only for a host the configuration names, timeouts, a size cap); up to
 * `delivery.attempts` tries (3) with exponential backoff and full jitter, `delivery.timeout_s` (30 s) each.
 *
 * At least once, not exactly once. A success is recorded durably before `deliver` returns (and so before the queue
 * message is acked), and a redelivered message that finds the record is not delivered again; but a crash between
 * the receiver's 2xx and that record, or a 2xx lost on the way back, delivers the same result again. So every
 * attempt of one result carries the same `webhook-id` header (the Standard Webhooks name) for receivers to dedupe
 * on: the tracking id, which the signed body carries too, so a receiver can check the header against it. The
 * attempt number is recorded before each attempt is sent, so a redelivery after a crash says `delivery_attempt: 2`.
 * When every attempt fails, `deliver` throws and the queue retries the message; after `max_receives` it is
 * dead-lettered and the status reads `failed` with `delivery_failed`.
 */
import type { ManifestWebhookChannel } from '../../../compiler/manifest.ts';
import type { Delivery, InboundMessage, Outcome } from '../../processing/inbound.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { fullJitterMs, type BackoffCurve } from '../../backoff.ts';
import { ACKNOWLEDGEMENT_BYTES, OutboundError, outboundRequest, type OutboundPolicy, type Resolver } from '../../net/index.ts';
import { matchCallbackAllow } from './callbackAllow.ts';
import { actionView, buildResultPayload } from './resultPayload.ts';
import { signatureHeaders } from './signature.ts';
import type { StatusStore } from './statusStore.ts';
import { CodedError } from '../../../compiler/codedError.ts';

/** Between attempts of one delivery: up to 1 s, then up to 2 s (the default 3 attempts), never more than 10 s. */
const BETWEEN_ATTEMPTS: BackoffCurve = { baseMs: 1000, capMs: 10_000 };

/** The delivery id header receivers dedupe on (Standard Webhooks). */
export const DELIVERY_ID_HEADER = 'webhook-id';

export interface WebhookDeliveryDeps {
  channel: ManifestWebhookChannel;
  status: StatusStore;
  /** WEBHOOK_URL: set by the operator, trusted; its host counts as named explicitly. */
  webhookUrl?: string;
  /** WEBHOOK_SIGNING_SECRET: deliveries are signed when set. */
  signingSecret?: string;
  logger: Logger;
  metrics: Metrics;
  /** node:dns when absent; tests make names resolve to chosen addresses. */
  resolveHost?: Resolver;
  now?: () => number;
  /** Backoff between attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  backoffMs?: (attempt: number) => number;
}

export class DeliveryError extends CodedError<'delivery_failed'> {
  override readonly name = 'DeliveryError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('delivery_failed', message, options);
  }
}

interface Target { url: URL; policy: OutboundPolicy }

export function createWebhookDelivery(deps: WebhookDeliveryDeps): Delivery {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const backoffMs = deps.backoffMs ?? ((retry: number) => fullJitterMs(retry - 1, BETWEEN_ATTEMPTS));
  const marked = new Set<string>();
  const iso = (): string => new Date(now()).toISOString();
  const resolver = deps.resolveHost ? { resolveHost: deps.resolveHost } : {};

  /** Where the result goes; the callback is matched again here, so the spec in force decides, not the one at intake. */
  const targetOf = (message: Extract<InboundMessage, { kind: 'webhook' }>): Target | undefined => {
    const { callbackUrl } = message.webhook;
    if (callbackUrl === undefined) {
      return deps.webhookUrl ? { url: new URL(deps.webhookUrl), policy: { hostNamedExplicitly: true, ...resolver } } : undefined;
    }
    const match = matchCallbackAllow(callbackUrl, deps.channel.callbackAllow);
    if (!match.allowed) throw new DeliveryError('the callback_url no longer matches the channel\'s callback_allow; the result was not sent');
    return { url: new URL(callbackUrl), policy: { hostNamedExplicitly: match.hostNamedExplicitly, ...resolver } };
  };

  const post = async (target: Target, deliveryId: string, body: string): Promise<void> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'User-Agent': 'revops-webhook/1', [DELIVERY_ID_HEADER]: deliveryId };
    if (deps.signingSecret) Object.assign(headers, signatureHeaders(deps.signingSecret, body, now()));
    const response = await outboundRequest({
      url: target.url, method: 'POST', headers, body,
      timeoutMs: deps.channel.delivery.timeoutSeconds * 1000, maxResponseBytes: ACKNOWLEDGEMENT_BYTES,
    }, target.policy);
    if (response.status < 200 || response.status >= 300) throw new Error(`receiver answered HTTP ${response.status}`);
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
      // A decision that changed nothing (a second approve, a caller not allowed) leaves the request's result alone.
      if (outcome.action?.verdict === 'already_decided' || outcome.action?.verdict === 'not_allowed') return;
      const final = {
        status: outcome.status, response: outcome.answer, ...(outcome.error ? { error: outcome.error } : {}),
        ...(outcome.action ? { pending_action: actionView(outcome.action) } : {}),
      } as const;
      // Two results per request when an action waits for approval: the proposal, then the final answer. Each is
      // delivered at least once under its own delivery id and its own success record.
      const awaiting = outcome.status === 'awaiting_approval';
      const deliveredField = awaiting ? 'approval_delivered_at' : 'delivered_at';
      const deliveryId = awaiting ? `${trackingId}:approval` : trackingId;
      if ((await deps.status.get(trackingId))?.[deliveredField]) return; // its success is on record: not sent again
      const target = targetOf(message);
      if (!target) {
        await deps.status.update(trackingId, { ...final, updated_at: iso() }); // poll-only: the status is the answer
        return;
      }
      const dims = { source: message.webhook.sourceSystem, request_type: 'webhook', ...(outcome.agent ? { agent: outcome.agent } : {}) };
      let lastError = '';
      let sent = 0;
      for (let tried = 1; tried <= deps.channel.delivery.attempts; tried += 1) {
        if (tried > 1) await sleep(backoffMs(tried - 1));
        const at = iso();
        // Counted across receives and restarts, and written before the send: a crash after the send cannot make
        // the next attempt repeat this one's number.
        const attempt = ((await deps.status.get(trackingId))?.delivery_attempts ?? 0) + 1;
        await deps.status.update(trackingId, { updated_at: at, delivery_attempts: attempt });
        sent += 1;
        try {
          await post(target, deliveryId, JSON.stringify(buildResultPayload(message, outcome, { at, attempt })));
        } catch (error) {
          lastError = error instanceof OutboundError ? `receiver ${error.message}` : error instanceof Error ? error.message : String(error);
          deps.metrics.emit({ WebhookDeliveryFailure: 1 }, dims);
          deps.logger.warn('webhook delivery attempt failed', { correlation_id: message.id, tracking_id: trackingId, attempt, error: lastError });
          // A refused address or a redirect is the receiver's configuration: trying again within seconds changes nothing.
          if (error instanceof OutboundError && (error.code === 'refused' || error.code === 'redirect')) break;
          continue;
        }
        // Outside the try: if this write fails the receiver has the result, and sending it again now would be a
        // duplicate of our own making; the throw leaves it to the queue's redelivery, which receivers dedupe.
        await deps.status.update(trackingId, { ...final, updated_at: at, [deliveredField]: at });
        deps.metrics.emit({ WebhookDeliverySuccess: 1 }, dims);
        return;
      }
      await deps.status.update(trackingId, { updated_at: iso(), last_delivery_error: lastError });
      throw new DeliveryError(`delivery to the receiver failed after ${sent} attempt${sent > 1 ? 's' : ''}: ${lastError}`);
    },
  };
}
