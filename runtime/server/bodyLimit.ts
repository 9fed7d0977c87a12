/**
 * The request body limit every route gets before its handler reads a byte (issue 10: five unsigned 100 MB bodies on
 * `/slack/events` were read whole before the signature check and took the server from 207 MB to 1 GB). Hono's
 * `bodyLimit` refuses a Content-Length over the limit before reading and cuts a chunked body off at the first chunk
 * past it; the refusal closes the connection, so the Node server stops reading the socket instead of draining the
 * rest (it lingers a moment first, so the client reads its 413: server/lingeringClose.ts). On Lambda the event body
 * is already in memory and Hono's adapter sets its true Content-Length, so the same check refuses it before parsing
 * or the signature check.
 *
 * Requests that need no stream to be judged pass before Hono's middleware sees them: asking a request for its
 * `body`, as that middleware does first, makes the Node adapter build a full Fetch `Request` with a web stream and
 * an abort signal, which cost more CPU than the rest of the webhook's accept path. A GET or HEAD has no body by the
 * Fetch standard; a decimal Content-Length within the limit, without Transfer-Encoding, is what Hono would let pass
 * too, and the HTTP parser (or Lambda's event) delivers exactly that many bytes. Everything else (over the limit,
 * chunked) goes through Hono's.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { failure } from '../channels/webhook/http.ts';
import { toResponse } from '../channels/route.ts';

/** Routes that take no body (status, health, metrics, preflight, unknown paths). */
export const DEFAULT_MAX_BODY_BYTES = 16_384;

const DECIMAL = /^\d+$/;

/** The largest body each path accepts; paths not listed get DEFAULT_MAX_BODY_BYTES. */
export type BodyLimits = Readonly<Record<string, number>>;

export function limitBodies(limits: BodyLimits, onRefused: (path: string, maxBytes: number) => void): MiddlewareHandler {
  const limiter = (maxSize: number): MiddlewareHandler => bodyLimit({
    maxSize,
    onError: (c) => {
      onRefused(c.req.path, maxSize);
      return toResponse(failure(413, 'body_too_large', `the request body must be at most ${maxSize} bytes`, { Connection: 'close' }));
    },
  });
  const limit = (maxSize: number) => ({ maxSize, limiter: limiter(maxSize) });
  const byPath = new Map(Object.entries(limits).map(([path, maxSize]) => [path, limit(maxSize)]));
  const fallback = limit(DEFAULT_MAX_BODY_BYTES);
  return async function limitBody(c, next) {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const { maxSize, limiter: hono } = byPath.get(c.req.path) ?? fallback;
    const declared = c.req.header('content-length');
    const withinDeclared = declared !== undefined && DECIMAL.test(declared) && Number(declared) <= maxSize
      && c.req.header('transfer-encoding') === undefined;
    return withinDeclared ? next() : hono(c, next);
  };
}
