/**
 * One JSON request to an external API (Gong, a search provider) through the outbound guard (runtime/net), bounded
 * by the tool's timeout, the caller's abort signal and a size cap. The URL comes from the spec (a provider's `url`)
 * or the operator's environment (GONG_BASE_URL), which name the host explicitly, so it may be a loopback stand-in;
 * a redirect is still never followed, so an answer cannot send the request (and its credentials) elsewhere.
 * Failures become ToolFailures that say which service failed and what to do; response bodies are quoted only
 * briefly, and request headers (credentials) never.
 */
import { OutboundError, outboundRequest, type OutboundResponse } from '../../net/index.ts';
import { ToolFailure } from '../toolFailure.ts';
import type { ToolContext } from '../toolbox.ts';

export interface JsonRequest {
  /** Names the service in messages: "Gong", "Web search (tavily)". */
  service: string;
  url: string;
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: unknown;
  timeoutMs: number;
  /** The largest answer read; past it reading stops and the call fails (a cut JSON document is no answer). */
  maxResponseBytes: number;
  signal?: AbortSignal;
  /** Added to 401/403 messages: which settings to check. */
  credentialsHint: string;
}

export async function fetchJson(ctx: ToolContext, request: JsonRequest): Promise<unknown> {
  let response: OutboundResponse;
  try {
    response = await outboundRequest({
      url: new URL(request.url), method: request.method, timeoutMs: request.timeoutMs, maxResponseBytes: request.maxResponseBytes,
      headers: { accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      ...(request.signal ? { signal: request.signal } : {}),
    }, { hostNamedExplicitly: true, ...(ctx.resolveHost ? { resolveHost: ctx.resolveHost } : {}) });
  } catch (cause) {
    if (cause instanceof OutboundError && cause.code === 'timeout') {
      throw new ToolFailure('timeout', `${request.service} did not answer within ${request.timeoutMs} ms; try again later or narrow the request.`, { cause });
    }
    if (cause instanceof OutboundError) throw new ToolFailure('upstream', `${request.service} ${cause.message}.`, { cause });
    throw new ToolFailure('upstream', `${request.service} is unreachable (${cause instanceof Error ? cause.message : String(cause)}).`, { cause });
  }
  const { status, text } = response;
  if (response.truncated) {
    throw new ToolFailure('upstream', `${request.service} answered more than ${request.maxResponseBytes} bytes; reading stopped there.`);
  }
  if (status === 401 || status === 403) {
    throw new ToolFailure('upstream', `${request.service} refused the credentials (HTTP ${status}); ${request.credentialsHint}.`);
  }
  if (status < 200 || status >= 300) {
    throw new ToolFailure('upstream', `${request.service} answered HTTP ${status}${excerpt(text)}.`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ToolFailure('upstream', `${request.service} answered with something other than JSON${excerpt(text)}.`, { cause });
  }
}

const excerpt = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat ? `: ${flat.length > 200 ? `${flat.slice(0, 197)}...` : flat}` : '';
};
