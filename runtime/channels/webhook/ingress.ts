/**
 * Webhook ingress: `POST /webhook` checks size, authentication, rate and the request contract, makes the message
 * durable on the queue, and answers the seed's `200 {success, message, tracking_id, queued_at, status: "queued"}`
 * with `X-Request-ID`. `GET /webhook/{tracking_id}` reports the request's status and answer (`awaiting_approval`
 * with the preview while an action waits); `POST /webhook/{tracking_id}/approve|reject` settles that action. Both take a Fetch
 * `Request` and return a `Response`, so the Node server and the Lambda adapter share them.
 */
import { randomUUID } from 'node:crypto';
import type { ManifestWebhookChannel } from '../../../compiler/manifest.ts';
import type { WebhookInbound } from '../../processing/inbound.ts';
import type { MessageQueue } from '../../queue/queue.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { authenticate, authUnavailable, type WebhookSecrets } from './auth.ts';
import { SIGNATURE_HEADER } from './signature.ts';
import { createRateLimiter } from './rateLimiter.ts';
import { validateWebhookRequest } from './validate.ts';
import { failure, json, readBodyWithin } from './http.ts';
import type { StatusStore } from './statusStore.ts';

export interface WebhookIngressDeps {
  channel: ManifestWebhookChannel;
  secrets: WebhookSecrets;
  queue: MessageQueue;
  status: StatusStore;
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
  newId?: () => string;
  /** Write the 'queued' status before answering (Lambda freezes the function after the response). */
  awaitStatus?: boolean;
}

export interface CallerInfo {
  ip?: string;
  userAgent?: string;
}

export interface WebhookIngress {
  accept(request: Request, caller: CallerInfo): Promise<Response>;
  status(request: Request, trackingId: string): Promise<Response>;
  /** `POST /webhook/{tracking_id}/approve|reject`: the asker settles the action its request waits on. */
  decide(request: Request, trackingId: string, approve: boolean): Promise<Response>;
}

/** Who the caller is, for approvals: its key's name, `hmac` for a signed request, `anonymous` with auth none. */
const callerOf = (identity: string | undefined, headers: Headers): string =>
  identity ?? (headers.has(SIGNATURE_HEADER) ? 'hmac' : 'anonymous');

export function createWebhookIngress(deps: WebhookIngressDeps): WebhookIngress {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? randomUUID;
  const { channel } = deps;
  const limiter = createRateLimiter(channel.limits.ratePerMinute, now);
  const rejected = (reason: string): void => deps.metrics.emit({ WebhookRequestsRejected: 1 }, { source: 'webhook', request_type: reason });

  const tooLarge = (): Response => {
    rejected('too_large');
    return failure(413, 'body_too_large', `the request body must be at most ${channel.limits.maxBodyBytes} bytes`);
  };

  return {
    async accept(request, caller) {
      const declared = Number(request.headers.get('content-length') ?? '0');
      if (declared > channel.limits.maxBodyBytes) return tooLarge();
      const unavailable = authUnavailable(channel.auth, deps.secrets);
      if (unavailable && !unavailable.ok) return failure(unavailable.status, unavailable.code, unavailable.message);
      const body = await readBodyWithin(request, channel.limits.maxBodyBytes);
      if (body === undefined) return tooLarge();

      const auth = authenticate(channel.auth, deps.secrets, request.headers, body, now());
      if (!auth.ok) {
        rejected(auth.code);
        return failure(auth.status, auth.code, auth.message, auth.status === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
      }
      const rate = limiter.take(auth.identity ?? `ip:${caller.ip ?? 'unknown'}`);
      if (!rate.allowed) {
        rejected('rate_limited');
        return failure(429, 'rate_limited', `more than ${channel.limits.ratePerMinute} requests per minute; retry after ${rate.retryAfterSeconds} s`,
          { 'Retry-After': String(rate.retryAfterSeconds) });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        rejected('invalid_json');
        return json(400, { success: false, errors: [{ field: 'body', message: 'is not valid JSON' }] });
      }
      const validation = validateWebhookRequest(parsed, channel);
      if (!validation.ok) {
        rejected('invalid_request');
        return json(400, { success: false, errors: validation.errors });
      }

      const trackingId = newId();
      const queuedAt = new Date(now()).toISOString();
      const { request: req } = validation;
      const message: WebhookInbound = {
        kind: 'webhook', id: newId(), dedupeKey: trackingId, channel: channel.name, agent: channel.entry, text: req.query,
        sessionId: req.session_id ?? trackingId, receivedAt: queuedAt,
        webhook: {
          trackingId, sourceSystem: req.source_system,
          ...(req.source_process !== undefined ? { sourceProcess: req.source_process } : {}),
          ...(req.callback_url !== undefined ? { callbackUrl: req.callback_url } : {}),
          ...(req.timestamp !== undefined ? { requestTimestamp: req.timestamp } : {}),
          ...(caller.ip !== undefined ? { requestIp: caller.ip } : {}),
          ...(caller.userAgent !== undefined ? { userAgent: caller.userAgent } : {}),
          caller: callerOf(auth.identity, request.headers),
        },
      };
      // The status record is written alongside the enqueue (the queue is what makes the request durable); where the
      // platform freezes the process after the response it is awaited with it, or it would be lost.
      const statusWritten = deps.status
        .update(trackingId, { status: 'queued', queued_at: queuedAt, updated_at: queuedAt, source_system: req.source_system })
        .catch((error: unknown) => deps.logger.warn('webhook status write failed', { correlation_id: message.id, error }));
      try {
        await deps.queue.send(message);
        if (deps.awaitStatus) await statusWritten;
      } catch (error) {
        deps.logger.error('webhook enqueue failed', { correlation_id: message.id, tracking_id: trackingId, error });
        return failure(503, 'queue_unavailable', `the request could not be queued; retry later (reference ${message.id})`);
      }
      deps.metrics.emit({ WebhookRequestsAccepted: 1 }, { source: req.source_system, request_type: 'webhook' });
      return json(200, {
        success: true, message: 'Request queued for processing', tracking_id: trackingId, queued_at: queuedAt, status: 'queued',
      }, { 'X-Request-ID': trackingId });
    },

    async decide(request, trackingId, approve) {
      const body = await readBodyWithin(request, channel.limits.maxBodyBytes);
      if (body === undefined) return tooLarge();
      const auth = authenticate(channel.auth, deps.secrets, request.headers, body, now());
      if (!auth.ok) return failure(auth.status, auth.code, auth.message);
      const record = await deps.status.get(trackingId);
      const action = record?.pending_action;
      if (!record || !action) return failure(404, 'not_found', `no webhook request with tracking id ${trackingId} waits for approval`);
      const by = callerOf(auth.identity, request.headers);
      if (action.asked_by !== undefined && action.asked_by !== by) {
        return failure(403, 'not_the_asker', 'only the caller that sent the request may approve or reject its action');
      }
      if (action.status !== 'pending') return failure(409, 'already_decided', `the action is already ${action.status}; nothing more is done`);
      if (Date.parse(action.expires_at) <= now()) return failure(410, 'expired', `the action expired at ${action.expires_at}; nothing was changed`);
      // The same Idempotency-Key on a retried request is the same decision: it is queued, and performed, once.
      const decisionId = request.headers.get('idempotency-key')?.trim() || newId();
      const at = new Date(now()).toISOString();
      const message: WebhookInbound = {
        kind: 'webhook', id: newId(), dedupeKey: `decision:${trackingId}:${decisionId}`, channel: channel.name, agent: channel.entry,
        text: `${approve ? 'approve' : 'reject'} ${action.id}`, sessionId: trackingId, receivedAt: at,
        webhook: { trackingId, sourceSystem: record.source_system ?? 'webhook', caller: by },
        decision: { actionId: action.id, approve, by, decisionId },
      };
      try {
        await deps.queue.send(message);
      } catch (error) {
        deps.logger.error('webhook decision enqueue failed', { correlation_id: message.id, tracking_id: trackingId, error });
        return failure(503, 'queue_unavailable', `the decision could not be queued; retry later (reference ${message.id})`);
      }
      return json(202, { success: true, tracking_id: trackingId, action_id: action.id, status: approve ? 'approving' : 'rejecting' }, { 'X-Request-ID': trackingId });
    },

    async status(request, trackingId) {
      const auth = authenticate(channel.auth, deps.secrets, request.headers, '', now());
      if (!auth.ok) return failure(auth.status, auth.code, auth.message);
      const record = await deps.status.get(trackingId);
      if (!record) return failure(404, 'not_found', `no webhook request with tracking id ${trackingId}`);
      return json(200, { success: true, ...record }, { 'X-Request-ID': trackingId });
    },
  };
}
