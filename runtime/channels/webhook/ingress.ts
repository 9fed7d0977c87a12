/**
 * Webhook ingress: `POST /webhook` checks size, authentication, rate and the request contract, finds a repeated
 * request (`idempotency.ts`), makes a new one durable on the queue, and answers the seed's `200 {success, message,
 * tracking_id, queued_at, status: "queued"}` with `X-Request-ID`. `GET /webhook/{tracking_id}` reports the request's
 * status and answer to the caller that created it (`awaiting_approval` with the preview while an action waits), and
 * `POST /webhook/{tracking_id}/approve|reject` lets that caller settle the action. All read a `RouteRequest` and
 * answer a `Reply` (channels/route.ts), so the Node server, Hono and the Lambda adapter share them.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ManifestWebhookChannel } from '../../../compiler/manifest.ts';
import type { WebhookInbound } from '../../processing/inbound.ts';
import { sessionKey } from '../../processing/sessionKey.ts';
import type { MessageQueue } from '../../queue/queue.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { authenticate, authUnavailable, signedText, type WebhookSecrets } from './auth.ts';
import { claimAll, confirmAll, idempotencyKeys, IDEMPOTENCY_HEADER, releaseAll } from './idempotency.ts';
import { createRateLimiter } from './rateLimiter.ts';
import { validateWebhookRequest } from './validate.ts';
import { failure, json } from './http.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './signature.ts';
import type { CallerInfo, Reply, RouteRequest } from '../route.ts';
import type { IdempotencyClaim, StatusRecord, StatusStore } from './statusStore.ts';

/** The one caller of an `auth: none` channel: its sessions are apart from every authenticated caller's. */
const ANONYMOUS = 'anonymous';
const QUEUED = 'Request queued for processing';

export interface WebhookIngressDeps {
  channel: ManifestWebhookChannel;
  secrets: WebhookSecrets;
  queue: MessageQueue;
  status: StatusStore;
  logger: Logger;
  metrics: Metrics;
  now?: () => number;
  newId?: () => string;
  /** How the 'queued' status record is kept (`QueuedStatus`); default `alongside`. */
  queuedStatus?: QueuedStatus;
}

/**
 * How an accepted request's 'queued' status record is kept:
 * - `before_enqueue`: written, and awaited, before the message is queued: the host freezes the process once it has
 *   answered (Lambda), and the S3 store merges by read-modify-write, so a processor's first patch racing a later
 *   write could drop the owner;
 * - `alongside`: written while the message is queued, not awaited (the queue is what makes the request durable);
 * - `from_queue`: not kept at all: the queue's own durable record of the message holds everything the status says,
 *   and the store reads the record through from the message while the queue holds it (`StatusStore.readThrough`,
 *   `queuedStatusOf`): one durable write per acceptance instead of two, and nothing to rebuild on start.
 */
export type QueuedStatus = 'before_enqueue' | 'alongside' | 'from_queue';

/** The 'queued' status record of an accepted request, from its queue message alone. */
export function queuedStatusOf(message: WebhookInbound): StatusRecord {
  const record: StatusRecord = {
    tracking_id: message.webhook.trackingId, status: 'queued', queued_at: message.receivedAt, updated_at: message.receivedAt,
    source_system: message.webhook.sourceSystem,
  };
  if (message.webhook.caller !== undefined) record.owner = message.webhook.caller;
  return record;
}

/**
 * Headers that carry one value each. A repeated header reads as its values joined with ", " (RFC 9110 5.3) through
 * Hono, Lambda's HTTP API and the direct route alike, and none of these values holds a comma, so one there means the
 * header came more than once: two credentials, signatures or keys are refused, never one of them picked.
 */
const SINGLE_VALUED = ['Authorization', SIGNATURE_HEADER, TIMESTAMP_HEADER, IDEMPOTENCY_HEADER];

function repeatedHeader(header: RouteRequest['header']): Reply | undefined {
  const name = SINGLE_VALUED.find((n) => header(n)?.includes(','));
  return name === undefined ? undefined : failure(400, 'repeated_header', `send ${name} once, with one value (a comma reads as several)`);
}

/**
 * `toISOString` of a time in ms, the last one kept: a busy ingress stamps dozens of requests within one
 * millisecond, and formatting the date was a measurable part of each acceptance.
 */
function lastIsoTime(): (ms: number) => string {
  let lastMs = Number.NaN;
  let lastIso = '';
  return (ms) => {
    if (ms !== lastMs) {
      lastIso = new Date(ms).toISOString();
      lastMs = ms;
    }
    return lastIso;
  };
}

export interface WebhookIngress {
  accept(request: RouteRequest, caller: CallerInfo): Promise<Reply>;
  status(request: RouteRequest, trackingId: string): Promise<Reply>;
  /** `POST /webhook/{tracking_id}/approve|reject`: the asker settles the action its request waits on. */
  decide(request: RouteRequest, trackingId: string, approve: boolean): Promise<Reply>;
}

export function createWebhookIngress(deps: WebhookIngressDeps): WebhookIngress {
  const now = deps.now ?? Date.now;
  const newId = deps.newId ?? randomUUID;
  const { channel } = deps;
  const queuedStatus = deps.queuedStatus ?? 'alongside';
  const isoTime = lastIsoTime();
  const limiter = createRateLimiter(channel.limits.ratePerMinute, now);
  const rejected = (reason: string): void => deps.metrics.emit({ WebhookRequestsRejected: 1 }, { source: 'webhook', request_type: reason });

  const tooLarge = (): Reply => {
    rejected('too_large');
    return failure(413, 'body_too_large', `the request body must be at most ${channel.limits.maxBodyBytes} bytes`);
  };

  /** The answer to a repeated request: the first one's tracking id and current status; nothing new is queued. */
  const repeat = async (held: IdempotencyClaim, digest: string): Promise<Reply> => {
    if (held.request_digest !== digest) {
      rejected('idempotency_key_reused');
      return failure(422, 'idempotency_key_reused',
        `this ${IDEMPOTENCY_HEADER} was first used for another request body (tracking id ${held.tracking_id}); send a new key for a new request`);
    }
    const record = await deps.status.get(held.tracking_id).catch(() => undefined);
    deps.logger.info('webhook request repeated; not queued again', { tracking_id: held.tracking_id });
    return json(200, {
      success: true, message: QUEUED, tracking_id: held.tracking_id, queued_at: record?.queued_at ?? held.at, status: record?.status ?? 'queued',
    }, { 'X-Request-ID': held.tracking_id, 'Idempotent-Replayed': 'true' });
  };

  return {
    async accept(request, caller) {
      const declared = Number(request.header('content-length') ?? '0');
      if (declared > channel.limits.maxBodyBytes) return tooLarge();
      const repeated = repeatedHeader(request.header);
      if (repeated) {
        rejected('repeated_header');
        return repeated;
      }
      const unavailable = authUnavailable(channel.auth, deps.secrets);
      if (unavailable && !unavailable.ok) return failure(unavailable.status, unavailable.code, unavailable.message);
      const body = await request.text(channel.limits.maxBodyBytes);
      if (body === undefined) return tooLarge();

      const auth = authenticate(channel.auth, deps.secrets, request.header, signedText.question(body), now());
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
      const idempotency = idempotencyKeys({
        channel: channel.name, caller: auth.identity, header: request.header(IDEMPOTENCY_HEADER), signature: auth.signature,
      });
      if (!validation.ok || !idempotency.ok) {
        rejected('invalid_request');
        const errors = [...(validation.ok ? [] : validation.errors), ...(idempotency.ok ? [] : [idempotency.error])];
        return json(400, { success: false, errors });
      }

      const trackingId = newId();
      const queuedAt = isoTime(now());
      // A request with no idempotency key (no Idempotency-Key, not signed) claims nothing and needs no digest.
      const claim = idempotency.keys.length > 0
        ? { tracking_id: trackingId, request_digest: createHash('sha256').update(body).digest('hex'), at: queuedAt }
        : undefined;
      let claimed: string[] = [];
      if (claim) {
        let claims: Awaited<ReturnType<typeof claimAll>>;
        try {
          claims = await claimAll(deps.status, idempotency.keys, claim);
        } catch (error) {
          deps.logger.error('webhook idempotency claim failed', { tracking_id: trackingId, error });
          return failure(503, 'status_unavailable', `the request could not be recorded; retry later with the same ${IDEMPOTENCY_HEADER}`);
        }
        if (claims.repeated) return repeat(claims.repeated, claim.request_digest);
        claimed = claims.claimed;
      }

      const { request: req } = validation;
      const sessionId = req.session_id ?? trackingId;
      // Optional fields assigned, not spread: this runs on every accepted request.
      const webhook: WebhookInbound['webhook'] = { trackingId, sessionId, sourceSystem: req.source_system };
      if (auth.identity !== undefined) webhook.caller = auth.identity;
      if (req.source_process !== undefined) webhook.sourceProcess = req.source_process;
      if (req.callback_url !== undefined) webhook.callbackUrl = req.callback_url;
      if (req.timestamp !== undefined) webhook.requestTimestamp = req.timestamp;
      if (caller.ip !== undefined) webhook.requestIp = caller.ip;
      if (caller.userAgent !== undefined) webhook.userAgent = caller.userAgent;
      const message: WebhookInbound = {
        kind: 'webhook', id: newId(), dedupeKey: trackingId, channel: channel.name, agent: channel.entry, text: req.query,
        sessionId: sessionKey({ kind: 'webhook', scope: [channel.name, auth.identity ?? ANONYMOUS] }, sessionId),
        receivedAt: queuedAt, webhook,
      };
      try {
        if (queuedStatus !== 'from_queue') {
          // The status record names its owner, the only caller that may read it.
          const written = deps.status.update(trackingId, queuedStatusOf(message))
            .catch((error: unknown) => deps.logger.warn('webhook status write failed', { correlation_id: message.id, error }));
          if (queuedStatus === 'before_enqueue') await written;
        }
        await deps.queue.send(message);
      } catch (error) {
        deps.logger.error('webhook enqueue failed', { correlation_id: message.id, tracking_id: trackingId, error });
        await releaseAll(deps.status, claimed)
          .catch((cause: unknown) => deps.logger.error('webhook idempotency release failed', { tracking_id: trackingId, error: cause }));
        return failure(503, 'queue_unavailable', `the request could not be queued; retry later (reference ${message.id})`);
      }
      // The request is durable; an unconfirmed claim would give way after its grace and let a repeat run it again.
      if (claim && claimed.length > 0) {
        await confirmAll(deps.status, claimed, claim)
          .catch((error: unknown) => deps.logger.warn('webhook idempotency confirmation failed', { tracking_id: trackingId, error }));
      }
      deps.metrics.emit({ WebhookRequestsAccepted: 1 }, { source: req.source_system, request_type: 'webhook' });
      return json(200, {
        success: true, message: QUEUED, tracking_id: trackingId, queued_at: queuedAt, status: 'queued',
      }, { 'X-Request-ID': trackingId });
    },

    async decide(request, trackingId, approve) {
      const repeated = repeatedHeader(request.header);
      if (repeated) return repeated;
      const auth = authenticate(channel.auth, deps.secrets, request.header, signedText.decision(trackingId, approve), now());
      if (!auth.ok) return failure(auth.status, auth.code, auth.message);
      const record = await deps.status.get(trackingId);
      const action = record?.pending_action;
      // Like a status read, another caller's request reads as unknown: only the asker approves (approvers: asker).
      if (!record || record.owner !== auth.identity || !action) {
        return failure(404, 'not_found', `no webhook request with tracking id ${trackingId} waits for approval`);
      }
      if (action.status === 'expired') return failure(410, 'expired', `the action expired at ${action.expires_at}; nothing was changed`);
      if (action.status !== 'pending') return failure(409, 'already_decided', `the action is already ${action.status}; nothing more is done`);
      const expired = Date.parse(action.expires_at) <= now();
      // The same Idempotency-Key on a retried request is the same decision: it is queued, and performed, once. So is
      // a signed decision replayed unchanged within the window, whatever key it carries: its signature names it.
      // Every decision after the deadline is one message, which records the expiry (approvals) and the status.
      const decisionId = expired ? 'expired' : auth.signature !== undefined
        ? `signed:${createHash('sha256').update(auth.signature).digest('hex').slice(0, 32)}`
        : request.header(IDEMPOTENCY_HEADER)?.trim() || newId();
      const by = auth.identity ?? ANONYMOUS;
      const at = new Date(now()).toISOString();
      const message: WebhookInbound = {
        kind: 'webhook', id: newId(), dedupeKey: `decision:${trackingId}:${decisionId}`, channel: channel.name, agent: channel.entry,
        text: `${approve ? 'approve' : 'reject'} ${action.id}`, sessionId: trackingId, receivedAt: at,
        webhook: { trackingId, sessionId: trackingId, sourceSystem: record.source_system ?? 'webhook', ...(auth.identity !== undefined ? { caller: auth.identity } : {}) },
        decision: { actionId: action.id, approve, by, decisionId },
      };
      try {
        await deps.queue.send(message);
      } catch (error) {
        deps.logger.error('webhook decision enqueue failed', { correlation_id: message.id, tracking_id: trackingId, error });
        if (!expired) return failure(503, 'queue_unavailable', `the decision could not be queued; retry later (reference ${message.id})`);
      }
      if (expired) return failure(410, 'expired', `the action expired at ${action.expires_at}; nothing was changed`);
      return json(202, { success: true, tracking_id: trackingId, action_id: action.id, status: approve ? 'approving' : 'rejecting' }, { 'X-Request-ID': trackingId });
    },

    async status(request, trackingId) {
      const repeated = repeatedHeader(request.header);
      if (repeated) return repeated;
      const auth = authenticate(channel.auth, deps.secrets, request.header, signedText.statusRead(trackingId), now());
      if (!auth.ok) return failure(auth.status, auth.code, auth.message);
      const record = await deps.status.get(trackingId);
      // Another caller's request reads as unknown (404, not 403), so tracking ids cannot be probed.
      if (!record || record.owner !== auth.identity) return failure(404, 'not_found', `no webhook request with tracking id ${trackingId}`);
      const { owner: _owner, ...visible } = record;
      return json(200, { success: true, ...visible }, { 'X-Request-ID': trackingId });
    },
  };
}
