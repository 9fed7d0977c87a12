/**
 * A transport-neutral Bolt receiver: Fetch API `Request` in, `Response` out, so the same code answers Slack in the
 * Hono server and behind API Gateway on Lambda. Modelled on Bolt's own AwsLambdaReceiver, with three changes:
 * - the signature is checked by slackSignature.ts (Bolt's rules: HMAC-SHA256 over `v0:<ts>:<body>`, 5-minute
 *   replay window) against an injectable clock, and a timestamp more than 5 minutes in the future is refused too;
 * - the HTTP answer waits for `app.processEvent` to finish — our listener only returns once the question is durable
 *   on the queue — but no longer than `ackTimeoutMs` (below Slack's 3 s): past it we answer 503 and log the fix,
 *   and Slack's retry is answered once by the dedupe;
 * - a retried event id seen moments ago is answered 200 at once (the fast path), without Bolt or the queue.
 */
import { type App, type Receiver, type ReceiverEvent, ReceiverMultipleAckError } from '@slack/bolt';
import { parse as parseForm } from 'node:querystring';
import type { Logger } from '../../logging/logger.ts';
import type { RecentKeys } from './recentKeys.ts';
import { hasValidSlackSignature } from './slackSignature.ts';

export interface FetchReceiverOptions {
  signingSecret: string;
  logger: Logger;
  now: () => Date;
  /** Event ids already accepted; a retry of one is answered 200 without processing. */
  recent: RecentKeys;
  /** Longest wait for processing (verification + enqueue) before answering; Slack gives up after 3 s. */
  ackTimeoutMs?: number;
}

const empty = (status: number, body = ''): Response => new Response(body, { status });
const json = (status: number, value: unknown): Response =>
  new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });

type Body = Record<string, unknown>;

/** The payload as an object, or `undefined` when it is not JSON or not a JSON object (`null`, an array, a number…). */
function parseBody(raw: string, contentType: string | null): Body | undefined {
  let parsed: unknown;
  try {
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = parseForm(raw);
      parsed = typeof form.payload === 'string' ? JSON.parse(form.payload) : form;
    } else {
      parsed = JSON.parse(raw);
    }
  } catch {
    return undefined;
  }
  return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Body) : undefined;
}

export class FetchReceiver implements Receiver {
  private app?: App;
  private readonly ackTimeoutMs: number;

  constructor(private readonly options: FetchReceiverOptions) {
    this.ackTimeoutMs = options.ackTimeoutMs ?? 2_500;
  }

  init(app: App): void {
    this.app = app;
  }

  start(): Promise<unknown> {
    return Promise.resolve(this.handle);
  }

  stop(): Promise<unknown> {
    return Promise.resolve();
  }

  readonly handle = async (request: Request): Promise<Response> => {
    const raw = await request.text();
    if (!this.isSigned(request.headers, raw)) {
      this.options.logger.info('Slack request refused: missing, wrong or stale signature', {
        code: 'slack_bad_signature',
        request_timestamp: request.headers.get('x-slack-request-timestamp'),
      });
      return empty(401);
    }
    const body = parseBody(raw, request.headers.get('content-type'));
    if (!body) return empty(400, 'Request body is not a JSON object (Slack Events API sends one as application/json).');
    if (body.ssl_check) return empty(200);
    if (body.type === 'url_verification') return json(200, { challenge: body.challenge });

    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    const retryNum = request.headers.get('x-slack-retry-num') ?? undefined;
    if (eventId && this.options.recent.has(eventId)) {
      this.options.logger.info('Slack event already accepted; answering the retry without processing', {
        event_id: eventId,
        retry_num: retryNum,
        retry_reason: request.headers.get('x-slack-retry-reason') ?? undefined,
      });
      return empty(200);
    }
    return this.process(body, request.headers, eventId);
  };

  private isSigned(headers: Headers, raw: string): boolean {
    return hasValidSlackSignature(
      { timestamp: headers.get('x-slack-request-timestamp'), signature: headers.get('x-slack-signature'), body: raw },
      this.options.signingSecret, this.options.now().getTime(),
    );
  }

  private async process(body: Body, headers: Headers, eventId: string | undefined): Promise<Response> {
    if (!this.app) throw new Error('FetchReceiver used before App.init; construct the App with this receiver first.');
    let acked = false;
    let stored: unknown;
    const retryNum = headers.get('x-slack-retry-num');
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        // Bolt's contract: a second ack is a programming error.
        if (acked) throw new ReceiverMultipleAckError();
        acked = true;
        stored = response ?? '';
      },
      ...(retryNum !== null ? { retryNum: Number(retryNum) } : {}),
      ...(headers.get('x-slack-retry-reason') ? { retryReason: headers.get('x-slack-retry-reason') ?? '' } : {}),
    };

    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.ackTimeoutMs);
    });
    const settled = this.app.processEvent(event).then(
      () => 'done' as const,
      (error: unknown) => ({ error }),
    );
    const result = await Promise.race([settled, deadline]);
    clearTimeout(timer);

    if (result === 'timeout') {
      this.options.logger.error(`Slack event not processed within ${this.ackTimeoutMs} ms; answered 503`, {
        code: 'slack_not_acknowledged',
        event_id: eventId,
        next: 'the queue did not confirm the write in time: check the queue (disk, SQS) health; Slack retries and the event id dedupe answers it once',
      });
      return empty(503);
    }
    if (result !== 'done') {
      this.options.logger.error('Slack event could not be accepted; answered 500 so Slack retries', {
        code: 'slack_enqueue_failed',
        event_id: eventId,
        error: result.error,
      });
      return empty(500);
    }
    if (!acked) {
      this.options.logger.warn('Slack request was not acknowledged by any listener', {
        code: 'slack_not_acknowledged',
        event_id: eventId,
        next: 'Bolt did not recognise the payload type; subscribe the app only to app_mention and message.im events',
      });
      return empty(404);
    }
    return typeof stored === 'string' ? empty(200, stored) : json(200, stored);
  }
}
