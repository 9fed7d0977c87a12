/**
 * The one way the runtime sends HTTP to a URL that came from configuration or a request: result callbacks, the
 * webhook tool, search providers, Gong. Not `fetch`: fetch cannot be told which address to dial, and the address
 * check must run on the connection actually made. Every request
 *  - follows no redirect: a 3xx is an `OutboundError('redirect')` naming the status, never followed (issue 10: a
 *    receiver's `307 Location: http://127.0.0.2/latest/meta-data/` made the delivery POST the signed result there);
 *  - dials only what the policy allows: an IP literal is checked before connecting (Node dials it without a lookup),
 *    a name inside the socket's own lookup (guardedLookup.ts), so DNS rebinding between check and connect cannot pass;
 *  - is bounded: a connect timeout, a total timeout up to the last byte, and a cap on the answer (reading stops
 *    there and the answer says `truncated`).
 * Each request has its own socket (`agent: false`): a pooled socket opened under one policy must not serve another.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { describeRestricted, guardedLookup, systemResolver, type Resolver } from './guardedLookup.ts';
import { OutboundError } from './outboundError.ts';
import { restrictedKind } from './restrictedAddress.ts';

export interface OutboundPolicy {
  /**
   * The trusted configuration writes this host out: an allow pattern without `*` that the URL matched, or a URL the
   * operator or the spec set (WEBHOOK_URL, GONG_BASE_URL, a provider's `url`). Only then may it be a restricted
   * (loopback, private, link-local, ...) address; never for a URL a request chose through a wildcard.
   */
  hostNamedExplicitly: boolean;
  /** node:dns when absent. */
  resolveHost?: Resolver;
}

export interface OutboundRequest {
  url: URL;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** From the first byte sent to the last byte read. */
  timeoutMs: number;
  /** Until the TCP connection is up; default the smaller of `timeoutMs` and 10 s. */
  connectTimeoutMs?: number;
  maxResponseBytes: number;
  signal?: AbortSignal;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The answer's first `maxResponseBytes` bytes. */
  text: string;
  /** More arrived than the cap; the connection was closed there. An acknowledgement's status still counts. */
  truncated: boolean;
}

/** What a webhook receiver answers: a status and a short acknowledgement; more is not read. */
export const ACKNOWLEDGEMENT_BYTES = 64 * 1024;
const CONNECT_TIMEOUT_MS = 10_000;

export function outboundRequest(request: OutboundRequest, policy: OutboundPolicy): Promise<OutboundResponse> {
  const { url, timeoutMs, maxResponseBytes } = request;
  const refusal = refusedBeforeConnecting(url, policy);
  if (refusal) return Promise.reject(refusal);
  const connectTimeoutMs = request.connectTimeoutMs ?? Math.min(timeoutMs, CONNECT_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    let settled = false;
    let connectTimer: NodeJS.Timeout | undefined;
    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(totalTimer);
      clearTimeout(connectTimer);
      return true;
    };
    const fail = (error: unknown): void => {
      if (!finish()) return;
      outgoing.destroy();
      reject(error);
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const outgoing = send(url, {
      method: request.method,
      agent: false,
      lookup: guardedLookup(policy.resolveHost ?? systemResolver, policy.hostNamedExplicitly),
      ...(request.signal ? { signal: request.signal } : {}),
      headers: { ...request.headers, ...(request.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(request.body)) }) },
    });
    const totalTimer = setTimeout(() => fail(new OutboundError('timeout', `did not answer within ${timeoutMs} ms`)), timeoutMs);
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) return;
      connectTimer = setTimeout(() => fail(new OutboundError('timeout', `did not accept a connection within ${connectTimeoutMs} ms`)), connectTimeoutMs);
      socket.once('connect', () => clearTimeout(connectTimer));
    });
    outgoing.on('error', (error) => fail(asOutboundError(error, url)));
    outgoing.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        const location = response.headers.location;
        fail(new OutboundError('redirect', `answered HTTP ${status} (a redirect${location ? ` to ${originOf(location, url)}` : ''}); redirects are not followed`,
          { status, ...(location ? { location } : {}) }));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      const done = (truncated: boolean): void => {
        if (!finish()) return;
        if (truncated) outgoing.destroy();
        resolve({ status, headers: response.headers, text: Buffer.concat(chunks).toString('utf8'), truncated });
      };
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = maxResponseBytes - size;
        size += chunk.length;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        if (size > maxResponseBytes) done(true);
      });
      response.on('end', () => done(false));
      response.on('error', (error) => fail(asOutboundError(error, url)));
    });
    outgoing.end(request.body);
  });
}

function refusedBeforeConnecting(url: URL, policy: OutboundPolicy): OutboundError | undefined {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return new OutboundError('refused', `uses ${url.protocol}; only http and https are requested`);
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && !policy.hostNamedExplicitly && restrictedKind(host)) {
    return new OutboundError('refused', `is a ${describeRestricted(host)}`);
  }
  return undefined;
}

function asOutboundError(error: Error, url: URL): Error {
  if (error instanceof OutboundError || error.name === 'AbortError') return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new OutboundError('network', `is unreachable (${code ?? error.message})`, undefined, { cause: error });
}

function originOf(location: string, base: URL): string {
  try {
    return new URL(location, base).origin;
  } catch {
    return 'an unreadable location';
  }
}
