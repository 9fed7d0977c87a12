/**
 * The Node server's request listener. A request for a direct route (channels/route.ts) that can be read at once —
 * its method and exact path, a decimal Content-Length within the route's limit, no Transfer-Encoding — is answered
 * here, from Node's own request and response objects; every other request goes to Hono's listener as it came, with
 * its body limit, 404 and error handler. Those are the requests Hono's body limit would let through untouched
 * (bodyLimit.ts), so nothing is judged differently: over the limit, chunked or with a query string, a request takes
 * the Hono path. Hono's Node adapter wraps each request in a Fetch `Request` and its headers in `Headers`, and
 * writes a `Response` back; on `POST /webhook` that was the largest part of the accept path after the journal
 * (issue 16).
 *
 * Header values are Node's: a repeated header that Node keeps once (Authorization, Content-Type, User-Agent, ...)
 * reads as its first value, the others joined with ", " as the Fetch API joins them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger.ts';
import type { DirectRoute, Reply, RouteRequest } from '../channels/route.ts';
import { internalError } from './internalError.ts';

export type NodeListener = (req: IncomingMessage, res: ServerResponse) => void;

const DECIMAL = /^\d+$/;

export function directListener(routes: readonly DirectRoute[], fallback: NodeListener, logger: Logger): NodeListener {
  const table = new Map(routes.map((route) => [`${route.method} ${route.path}`, route]));
  return (req, res) => {
    const route = table.size > 0 ? table.get(`${req.method} ${req.url}`) : undefined;
    const declared = req.headers['content-length'];
    if (!route || declared === undefined || req.headers['transfer-encoding'] !== undefined || !DECIMAL.test(declared) || Number(declared) > route.maxBodyBytes) {
      fallback(req, res);
      return;
    }
    void answer(route, Number(declared), req, res, logger);
  };
}

async function answer(route: DirectRoute, declared: number, req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
  let body: Promise<string> | undefined;
  const request: RouteRequest = {
    header: (name) => {
      const value = req.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    text: async (maxBytes) => (declared > maxBytes ? undefined : (body ??= bodyText(req))),
  };
  let reply: Reply;
  try {
    reply = await route.handle(request, {
      ...(req.socket.remoteAddress !== undefined ? { ip: req.socket.remoteAddress } : {}),
      ...(req.headers['user-agent'] !== undefined ? { userAgent: req.headers['user-agent'] } : {}),
    });
  } catch (error) {
    if (req.destroyed && !req.complete) return; // the client went away mid-body: nobody to answer
    reply = internalError(logger, route.path, error);
  }
  // A body the route did not read is drained, so the connection can carry the next request.
  if (!body) req.resume();
  res.writeHead(reply.status, reply.headers).end(reply.body ?? undefined);
}

/** The whole body: the HTTP parser delivers exactly Content-Length bytes, which the caller checked. */
function bodyText(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before the whole body arrived'));
    });
  });
}
