/**
 * A channel route as a function from what it reads of a request (headers, body text) to what it answers, whichever
 * transport carried the request: Hono serves every route on Lambda and wherever its middleware is wanted (adapted by
 * `fetchRouteRequest` and `toResponse`), and the Node server calls a `DirectRoute` itself for a request it can read
 * at once (server/directRoutes.ts). Building a Fetch `Request` with its `Headers` and a `Response` around each
 * webhook acceptance cost more CPU than the rest of Hono's work together (issue 16).
 */

export interface RouteRequest {
  /** A header's value (the name in any case); undefined when it is absent. A plain function: it may be passed on unbound. */
  header(name: string): string | undefined;
  /** The body as text; undefined once more than `maxBytes` arrived. */
  text(maxBytes: number): Promise<string | undefined>;
}

export interface Reply {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** The body text; null for none (a 204). */
  body: string | null;
}

/** The caller as the transport sees it (for rate limits and the request's record). */
export interface CallerInfo {
  ip?: string;
  userAgent?: string;
}

/** A route the Node server may answer without Hono: one method, one exact path, a body limit of its own. */
export interface DirectRoute {
  method: 'POST';
  path: string;
  maxBodyBytes: number;
  handle(request: RouteRequest, caller: CallerInfo): Promise<Reply>;
}

export const toResponse = (reply: Reply): Response => new Response(reply.body, { status: reply.status, headers: reply.headers });

/**
 * The body as text, or `undefined` once more than `maxBytes` arrived. With a Content-Length within the limit the
 * HTTP parser stops at that length, so the whole body is read at once (the Node adapter's fast path, which skips
 * building a web stream); without one (chunked) it is streamed and cut off at the limit. Either way the bytes
 * actually read are counted.
 */
async function readBodyWithin(request: Request, maxBytes: number): Promise<string | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) <= maxBytes) {
    const bytes = new Uint8Array(await request.arrayBuffer());
    return bytes.byteLength > maxBytes ? undefined : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  }
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export const fetchRouteRequest = (request: Request): RouteRequest => ({
  header: (name) => request.headers.get(name) ?? undefined,
  text: (maxBytes) => readBodyWithin(request, maxBytes),
});
