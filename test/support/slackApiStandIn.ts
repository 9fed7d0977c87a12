/**
 * A loopback stand-in for the Slack Web API: a node:http server on 127.0.0.1 (port 0) that the real WebClient talks
 * to (via `slackApiUrl`). It records every call (method, decoded params, bearer token) and answers like Slack:
 * `auth.test` with the bot's ids, `chat.postMessage` / `chat.update` with `{ok, channel, ts}`, `chat.postEphemeral`,
 * and `usergroups.users.list` from the `groups` a test sets. Failures can be
 * scripted per method: an HTTP status (429 with Retry-After, 500) or a Slack error (`{ok:false, error}`).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'node:querystring';

export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  token?: string;
  /** What the stand-in answered (successful calls). */
  reply?: Record<string, unknown>;
}

export interface ScriptedFailure {
  status?: number;
  retryAfterSeconds?: number;
  error?: string;
}

export const BOT_USER_ID = 'UBOT0001';
export const BOT_ID = 'BBOT0001';

const JSON_FIELDS = ['blocks', 'attachments', 'metadata'];

function decode(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}') as Record<string, unknown>;
  const form = parse(raw) as Record<string, unknown>;
  for (const field of JSON_FIELDS) {
    if (typeof form[field] === 'string') form[field] = JSON.parse(form[field] as string);
  }
  return form;
}

async function read(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export class SlackApiStandIn {
  readonly calls: RecordedCall[] = [];
  private readonly failures = new Map<string, Array<ScriptedFailure | undefined>>();
  private server?: Server;
  private nextTs = 1_700_000_000;
  /** User groups `usergroups.users.list` answers from: group id -> member user ids. */
  readonly groups = new Map<string, string[]>();
  /** Recording every call costs memory in benches; they only need counts. */
  recordParams = true;
  readonly counts = new Map<string, number>();

  get url(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void read(req).then((raw) => {
        const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
        const params = this.recordParams ? decode(raw, req.headers['content-type']) : {};
        const token = req.headers.authorization?.replace(/^Bearer /, '');
        const call: RecordedCall = { method, params, ...(token ? { token } : {}) };
        this.calls.push(call);
        this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
        const failure = this.failures.get(method)?.shift();
        if (failure?.status) {
          res.writeHead(failure.status, {
            'content-type': 'application/json',
            ...(failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {}),
          });
          res.end(JSON.stringify({ ok: false, error: failure.status === 429 ? 'ratelimited' : 'internal_error' }));
          return;
        }
        const reply = failure?.error ? { ok: false, error: failure.error } : this.answer(method, params);
        if (this.recordParams) call.reply = reply;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  private answer(method: string, params: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return { ok: true, user_id: BOT_USER_ID, bot_id: BOT_ID, team_id: 'T0001', user: 'revbot' };
      case 'chat.postMessage': {
        const ts = `${this.nextTs++}.000100`;
        return { ok: true, channel: params.channel, ts, message: { text: params.text, ts, thread_ts: params.thread_ts } };
      }
      case 'chat.update':
        return { ok: true, channel: params.channel, ts: params.ts, text: params.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${this.nextTs++}.000200` };
      case 'usergroups.users.list': {
        const users = this.groups.get(String(params.usergroup));
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  /** The next `times` calls of `method` fail as described. */
  fail(method: string, failure: ScriptedFailure, times = 1): void {
    this.script(method, Array.from({ length: times }, () => failure));
  }

  /** The next calls of `method`, one entry each: `undefined` answers normally, a failure fails. */
  script(method: string, outcomes: Array<ScriptedFailure | undefined>): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...outcomes]);
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
