/**
 * One JSON request to an external API (Gong, a search provider) through the context's `fetch`, bounded by the
 * tool's timeout and the caller's abort signal. Failures become ToolFailures that say which service failed and
 * what to do; response bodies are quoted only briefly, and request headers (credentials) never.
 */
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
  signal?: AbortSignal;
  /** Added to 401/403 messages: which settings to check. */
  credentialsHint: string;
}

export async function fetchJson(ctx: ToolContext, request: JsonRequest): Promise<unknown> {
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await ctx.fetch(request.url, {
      method: request.method,
      headers: { accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }), ...request.headers },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal,
      redirect: 'error',
    });
  } catch (cause) {
    if (timeout.aborted) throw new ToolFailure('timeout', `${request.service} did not answer within ${request.timeoutMs} ms; try again later or narrow the request.`, { cause });
    throw new ToolFailure('upstream', `${request.service} is unreachable (${cause instanceof Error ? cause.message : String(cause)}).`, { cause });
  }
  const text = await response.text();
  if (response.status === 401 || response.status === 403) {
    throw new ToolFailure('upstream', `${request.service} refused the credentials (HTTP ${response.status}); ${request.credentialsHint}.`);
  }
  if (!response.ok) {
    throw new ToolFailure('upstream', `${request.service} answered HTTP ${response.status}${excerpt(text)}.`);
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
