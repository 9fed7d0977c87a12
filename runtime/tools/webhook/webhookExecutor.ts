/**
 * Kind `webhook` (`webhook_executor`): POSTs JSON to a URL the spec's `allow` list matches. The seed's webhook tool
 * could POST anywhere with no timeout (SSRF); here, before anything is sent:
 *  - the URL must be http(s), carry no credentials, and match an allow pattern (urlAllowlist.ts);
 *  - it goes through the outbound guard (runtime/net): unless a pattern names the host literally, every address
 *    it dials must be public, checked on the connection made; redirects are not followed; the answer is capped.
 *  - without a `url` the call goes to the operator's destination (`target_env`); none configured, or a placeholder
 *    host (example.com and the other documentation names), is refused with what to configure;
 * Each attempt is bounded by `timeout_ms`; 5xx, 429 and network errors are retried `retries` times with exponential
 * backoff and full jitter. Messages show URLs without their path secrets (Slack hook URLs carry the token there).
 *
 * Body: every parameter except `url` (empty strings dropped); a `payload` parameter holding a JSON object is merged
 * in; a `message` is also sent as `text`, the field Slack incoming webhooks read.
 */
import { fullJitterMs, type BackoffCurve } from '../../backoff.ts';
import { ACKNOWLEDGEMENT_BYTES, OutboundError, outboundRequest, type OutboundResponse } from '../../net/index.ts';
import type { WebhookTool } from '../../../compiler/manifest.ts';
import type { KindExecutor } from '../executor.ts';
import type { CheckedParams } from '../parameters.ts';
import { ToolFailure } from '../toolFailure.ts';
import { matchAllowlist } from './urlAllowlist.ts';

const BETWEEN_ATTEMPTS: BackoffCurve = { baseMs: 250, capMs: 5_000 };

/** Hosts reserved for documentation (RFC 2606: example.com/.net/.org, .example, .invalid): placeholders, never receivers. */
const PLACEHOLDER_HOST = /(^|\.)(example\.(com|net|org)|example|invalid)$/iu;

export interface NotificationTarget {
  url: URL;
  /** The host was named by the operator (the tool's target variable) or literally by an allow pattern. */
  explicitHost: boolean;
  /** How the target is shown in previews and messages (no path secrets). */
  shown: string;
}

/**
 * Where a call would POST: its `url`, else the operator's default destination (`target_env`); refused when there
 * is none, when it is a placeholder, or when the call's own URL is outside the allow list. Shared with the approval
 * preview, so a refusal comes before anyone is asked to approve. An approved call goes to the destination its
 * preview showed (`approved`), and only while that is still allowed: the configured one, or on the allow list.
 */
export function notificationTarget(tool: WebhookTool, params: CheckedParams, env: Record<string, string | undefined>, approved?: string): NotificationTarget {
  const requested = typeof params['url'] === 'string' && params['url'].trim() ? params['url'].trim() : undefined;
  const configured = tool.targetEnv ? env[tool.targetEnv]?.trim() : undefined;
  // An approved destination is trusted as the configured one only while it still is; otherwise the allow list decides.
  const given = approved === undefined ? requested : approved === hrefOf(configured) ? undefined : approved;
  if (!given && !configured) {
    const how = tool.targetEnv ? `set ${tool.targetEnv} to the receiver's URL` : `give the tool a target_env (or the call a url)`;
    throw new ToolFailure('not_configured', `${tool.name} has no destination configured: ${how}. Nothing was sent.`);
  }
  const url = parseUrl(given ?? configured);
  if (PLACEHOLDER_HOST.test(url.hostname)) {
    const fix = given ? `a real receiver matching the allow list (${(tool.allow ?? []).join(', ')})` : `${tool.targetEnv} to a real receiver`;
    throw new ToolFailure('not_configured', `${redact(url)} is a placeholder address, not a receiver; configure ${fix}. Nothing was sent.`);
  }
  if (!given) return { url, explicitHost: true, shown: redact(url) };
  const match = matchAllowlist(url, tool.allow ?? []);
  if (!match.allowed && approved !== undefined) {
    throw new ToolFailure('refused', `${redact(url)}, where the approved preview said this goes, is no longer an allowed destination of ${tool.name} (its configuration changed since); nothing was sent. Ask again to preview it for the current destination.`);
  }
  if (!match.allowed) {
    throw new ToolFailure('refused', `${redact(url)} is not in the allow list of ${tool.name}; allowed: ${(tool.allow ?? []).join(', ') || 'nothing'}.`);
  }
  return { url, explicitHost: match.explicitHost, shown: redact(url) };
}

/** An approved notification carries its action id as `Idempotency-Key`: a resend after a crash can be deduped. */
export const runWebhook: KindExecutor<'webhook'> = async (tool, params, ctx, signal, approved) => {
  const { url, explicitHost } = notificationTarget(tool, params, ctx.env, approved?.destination);
  const policy = { hostNamedExplicitly: explicitHost, ...(ctx.resolveHost ? { resolveHost: ctx.resolveHost } : {}) };
  const body = JSON.stringify(payloadOf(params));
  const attempts = tool.retries + 1;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (attempt > 1) await sleep(fullJitterMs(attempt - 1, BETWEEN_ATTEMPTS), signal);
    let outcome: OutboundResponse;
    try {
      outcome = await outboundRequest({
        url, method: 'POST', body, timeoutMs: tool.timeoutMs, maxResponseBytes: ACKNOWLEDGEMENT_BYTES, ...(signal ? { signal } : {}),
        headers: {
          'content-type': 'application/json', 'user-agent': 'revops-webhook-executor',
          ...(approved ? { 'idempotency-key': approved.idempotencyKey } : {}),
        },
      }, policy);
    } catch (error) {
      if (signal?.aborted) throw new ToolFailure('timeout', `The webhook call to ${redact(url)} was cancelled.`, { cause: error });
      if (!(error instanceof OutboundError)) throw error;
      if (error.code === 'refused') throw new ToolFailure('refused', `${redact(url)} ${error.message}.`, { cause: error });
      if (error.redirect) {
        const { status, location } = error.redirect;
        const target = location ? ` to ${redirectTarget(location, url, tool.allow ?? [])}` : '';
        throw new ToolFailure('upstream', `${redact(url)} answered HTTP ${status} (a redirect${target}); redirects are not followed. Call the final URL directly if the allow list covers it.`);
      }
      last = error.code === 'timeout' ? `timed out (${error.message})` : error.message;
      continue;
    }
    if (outcome.status >= 200 && outcome.status < 300) {
      const said = outcome.text.trim() ? ` Receiver said: ${outcome.text.trim().slice(0, 300)}` : '';
      return { text: `Delivered to ${redact(url)}: HTTP ${outcome.status} after ${attempt} attempt${attempt > 1 ? 's' : ''}.${said}` };
    }
    last = `HTTP ${outcome.status}${outcome.text.trim() ? `: ${outcome.text.trim().slice(0, 200)}` : ''}`;
    if (outcome.status < 500 && outcome.status !== 429) {
      throw new ToolFailure('upstream', `${redact(url)} refused the notification with ${last}.`);
    }
  }
  throw new ToolFailure('upstream', `${redact(url)} failed after ${attempts} attempt${attempts > 1 ? 's' : ''}; last: ${last}.`);
};

/** A configured URL as `URL.href` writes it, so the same destination compares equal however it was typed. */
function hrefOf(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    return new URL(value).href;
  } catch {
    return undefined;
  }
}

function parseUrl(value: unknown): URL {
  // Reached with a configured value too; the message names what was given either way.
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw new ToolFailure('invalid_parameter', `Parameter url must be an absolute http(s) URL; got ${JSON.stringify(value)}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ToolFailure('refused', `Only http and https webhooks are allowed; got ${url.protocol}.`);
  if (url.username || url.password) throw new ToolFailure('refused', 'Webhook URLs may not carry credentials (user:password@); configure the receiver instead.');
  return url;
}

function payloadOf(params: CheckedParams): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (name !== 'url' && name !== 'payload' && value !== '') body[name] = value;
  }
  if (typeof params['payload'] === 'string' && params['payload'].trim()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(params['payload']);
    } catch {
      throw new ToolFailure('invalid_parameter', 'Parameter payload must be a JSON object.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ToolFailure('invalid_parameter', 'Parameter payload must be a JSON object.');
    Object.assign(body, parsed);
  }
  if (typeof body['message'] === 'string' && body['text'] === undefined) body['text'] = body['message'];
  return body;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new ToolFailure('timeout', 'The webhook call was cancelled while waiting to retry.'));
    }, { once: true });
  });

/** Origin plus the first path segment: enough to recognise a hook, without the token Slack puts in the path. */
function redact(url: URL): string {
  const [first, ...rest] = url.pathname.split('/').filter(Boolean);
  return `${url.origin}/${first ?? ''}${rest.length > 0 ? '/…' : ''}`;
}

function redirectTarget(location: string, base: URL, allow: readonly string[]): string {
  try {
    const target = new URL(location, base);
    return `${redact(target)} (${matchAllowlist(target, allow).allowed ? 'allow-listed' : 'not allow-listed'})`;
  } catch {
    return 'an unreadable location';
  }
}
