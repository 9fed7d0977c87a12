/**
 * The Slack ingress: a real Bolt `App` on the transport-neutral FetchReceiver, with a listener for `app_mention`
 * and direct messages. A listener turns the event into an InboundMessage, waits until the queue holds it durably,
 * and only then lets the receiver answer 200 — so nothing Slack was told we accepted can be lost. The in-thread
 * acknowledgement ("diving in") is posted through the app's WebClient:
 * - `postAckInBackground: true` (default; the local server keeps running after a response): enqueue, answer,
 *   then post the ack in the background through the AckLane (which lets it give way under load); its ts reaches
 *   the Delivery through the AckRegistry.
 * - `postAckInBackground: false` (Lambda freezes once it answered): post the ack first, then enqueue with
 *   `slack.ackTs`, then answer. A retry arriving at another instance may show a second "diving in"; the answer
 *   itself is still given once (the queue dedupes by event id).
 */
import { App, type Authorize } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { randomUUID } from 'node:crypto';
import type { ManifestSlackChannel } from '../../../compiler/manifest.ts';
import type { InboundMessage } from '../../processing/inbound.ts';
import { AckLane, type AckLaneOptions } from './ackLane.ts';
import { processAckRegistry, type AckRegistry } from './ackRegistry.ts';
import { eventLoopSaturation } from './eventLoopSaturation.ts';
import { FetchReceiver } from './fetchReceiver.ts';
import type { Logger } from '../../logging/logger.ts';
import { once } from '../../once.ts';
import { boltLogger } from './boltLogger.ts';
import { inboundFor, questionFromEvent, sessionIdFor, type SlackEventFields, type SlackQuestion } from './question.ts';
import { RecentKeys } from './recentKeys.ts';
import { APPROVE_ACTION, CANCEL_ACTION } from './approvalBlocks.ts';
import { decisionFromClick, type ClickAction, type ClickPayload } from './click.ts';
import { webClientOptions, type WebClientSettings } from './webClient.ts';

export interface SlackIngressDeps extends WebClientSettings {
  channel: ManifestSlackChannel;
  signingSecret: string;
  botToken: string;
  /** Durable before it resolves; `duplicate` when the dedupeKey (Slack event_id) was already accepted. */
  enqueue: (message: InboundMessage) => Promise<{ duplicate: boolean }>;
  logger: Logger;
  now?: () => Date;
  /** False where the platform stops work once the response is sent (Lambda). Default true. */
  postAckInBackground?: boolean;
  acks?: AckRegistry;
  /** Longest wait for the enqueue before answering Slack (default 2500 ms, below Slack's 3 s). */
  ackTimeoutMs?: number;
  /** Background acknowledgements (postAckInBackground): posts in flight at once, and waiting before the oldest is dropped. */
  ackLane?: AckLaneOptions;
}

export interface SlackIngress {
  handle(request: Request): Promise<Response>;
  /** Resolves when every background acknowledgement post has finished (graceful shutdown, tests, benches). */
  whenIdle(): Promise<void>;
}

/**
 * Four posts in flight outpace Slack's own limit on chat.postMessage (about one message per second per channel);
 * none starts while the event loop is more than half busy, so a burst of events leaves room for answering Slack.
 */
const defaultAckLane = (): AckLaneOptions => ({ concurrency: 4, maxWaiting: 10_000, saturated: eventLoopSaturation({ threshold: 0.5 }) });

const EMPTY_QUESTION_HINT = 'Ask me a question after the mention, e.g. _what is the status of the IXIS deal?_';

/** auth.test once for the bot's own ids (ignoreSelf needs them); a failure is not kept, the next event retries. */
function botIdentity(client: () => WebClient, botToken: string): Authorize<boolean> {
  const identity = once(async () => {
    const r = await client().auth.test({ token: botToken });
    return { botUserId: r.user_id, botId: r.bot_id };
  });
  return async () => ({ botToken, ...(await identity()) });
}

export function createSlackIngress(deps: SlackIngressDeps): SlackIngress {
  const { logger } = deps;
  const now = deps.now ?? (() => new Date());
  const acks = deps.acks ?? processAckRegistry;
  const background = new Set<Promise<unknown>>();
  const lane = new AckLane(deps.ackLane ?? defaultAckLane());
  const recent = new RecentKeys();
  const receiver = new FetchReceiver({
    signingSecret: deps.signingSecret,
    logger,
    now,
    recent,
    ...(deps.ackTimeoutMs !== undefined ? { ackTimeoutMs: deps.ackTimeoutMs } : {}),
  });
  const app: App = new App({
    receiver,
    authorize: botIdentity(() => app.client, deps.botToken),
    logger: boltLogger(logger),
    clientOptions: webClientOptions(deps),
    convoStore: false,
  });

  const track = <T>(task: Promise<T>): Promise<T> => {
    background.add(task);
    void task.finally(() => background.delete(task)).catch(() => undefined);
    return task;
  };

  const post = async (client: WebClient, q: SlackQuestion, text: string, correlationId?: string) => {
    try {
      const res = await client.chat.postMessage({
        channel: q.channel,
        thread_ts: q.threadTs,
        text,
        unfurl_links: false,
        unfurl_media: false,
      });
      return res.ts;
    } catch (error) {
      // The question is (or will be) queued regardless; the Delivery posts its own status message instead.
      logger.warn('Slack acknowledgement could not be posted', {
        code: 'slack_web_api_failed',
        correlation_id: correlationId,
        event_id: q.eventId,
        error,
      });
      return undefined;
    }
  };

  const accept = async (args: { body: unknown; event: unknown; context: { botUserId?: string; retryNum?: number }; client: WebClient }) => {
    const verdict = questionFromEvent(args.body as { event_id?: string }, args.event as SlackEventFields, args.context.botUserId);
    if (!verdict.accept) {
      logger.debug('Slack event ignored', { reason: verdict.reason });
      return;
    }
    const q = verdict.question;
    if (!q.text) {
      recent.add(q.eventId);
      track(post(args.client, q, EMPTY_QUESTION_HINT));
      return;
    }
    const id = randomUUID();
    const receivedAt = now();
    let duplicate: boolean;
    if (deps.postAckInBackground ?? true) {
      ({ duplicate } = await deps.enqueue(inboundFor(q, deps.channel, { id, receivedAt })));
      if (!duplicate) {
        // Only what the post needs is kept while it waits (not Bolt's whole listener arguments).
        const { client } = args;
        const ackTs = lane.submit(q.eventId, () => post(client, q, deps.channel.acknowledgement, id));
        acks.register(q.eventId, track(ackTs), () => lane.withdraw(q.eventId));
      }
    } else {
      const ackTs = await post(args.client, q, deps.channel.acknowledgement, id);
      ({ duplicate } = await deps.enqueue(inboundFor(q, deps.channel, { id, receivedAt, ...(ackTs ? { ackTs } : {}) })));
    }
    recent.add(q.eventId);
    logger.info(duplicate ? 'Slack event was already queued; not queued again' : 'Slack question queued', {
      correlation_id: id,
      event_id: q.eventId,
      session_id: sessionIdFor(q),
      retry_num: args.context.retryNum,
    });
  };
  // One listener for both: Bolt runs every listener's middleware for each event, so two would double that work.
  app.event(/^(app_mention|message)$/, accept);

  // Approve / Cancel clicks arrive at the same URL as events, signed the same way (the receiver checked it). The
  // decision is made durable on the queue before Slack gets its 200; the processor decides, performs once, and
  // edits the message. A replayed payload carries the same action_ts, so the queue holds it once.
  app.action(new RegExp(`^(${APPROVE_ACTION}|${CANCEL_ACTION})$`), async ({ ack, body, action }) => {
    const decision = decisionFromClick(body as unknown as ClickPayload, action as unknown as ClickAction, deps.channel, { id: randomUUID(), receivedAt: now() });
    if (!decision) {
      await ack();
      logger.warn('Slack click without a channel, message or user; ignored', { code: 'slack_bad_request' });
      return;
    }
    const { duplicate } = await deps.enqueue(decision);
    await ack();
    logger.info(duplicate ? 'Slack decision was already queued' : 'Slack decision queued', {
      correlation_id: decision.id, action_id: decision.decision?.actionId, approve: decision.decision?.approve,
    });
  });

  return {
    handle: receiver.handle,
    async whenIdle() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}
