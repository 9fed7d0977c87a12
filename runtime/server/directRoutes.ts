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
 * Header values read as the Fetch API reads them, every value of a repeated header joined with ", ": Node's
 * `headers` keeps only the first of some (Authorization, Content-Type, User-Agent, ...), so a request with a second
 * Authorization was judged by its first here and by both through Hono.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logging/logger.ts';
import type { CallerInfo, DirectRoute, Reply, RouteRequest } from '../channels/route.ts';
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
    // The whole body first (at most the route's limit, which the declared length is within), then the route: one
    // pair of listeners and no promise per chunk. A client that leaves mid-body never ends it, so nothing answers.
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      answer(route, nodeRouteRequest(req, Number(declared), body), req, res, logger);
    });
  };
}

function nodeRouteRequest(req: IncomingMessage, declared: number, body: string): RouteRequest {
  return {
    header: (name) => req.headersDistinct[name.toLowerCase()]?.join(', '),
    text: (maxBytes) => Promise.resolve(declared > maxBytes ? undefined : body),
  };
}

function answer(route: DirectRoute, request: RouteRequest, req: IncomingMessage, res: ServerResponse, logger: Logger): void {
  const caller: CallerInfo = {};
  if (req.socket.remoteAddress !== undefined) caller.ip = req.socket.remoteAddress;
  const userAgent = request.header('user-agent');
  if (userAgent !== undefined) caller.userAgent = userAgent;
  let handled: Promise<Reply>;
  try {
    handled = route.handle(request, caller);
  } catch (error) {
    handled = Promise.reject(error);
  }
  handled.then((reply) => send(res, reply), (error: unknown) => send(res, internalError(logger, route.path, error)))
    .catch((error: unknown) => {
      // A reply Node refuses to write (a header it rejects): the client gets a dropped connection, the log the cause.
      logger.error('reply could not be written', { route: route.path, error });
      res.destroy();
    });
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.body === null) {
    res.writeHead(reply.status, reply.headers).end();
    return;
  }
  // A declared length keeps the reply one write of head and body; without one Node frames the body as chunks. Node
  // takes the headers as a flat name, value list too: no copy of the reply's object to add the length to.
  const headers: string[] = [];
  for (const name in reply.headers) headers.push(name, reply.headers[name]!);
  headers.push('Content-Length', String(Buffer.byteLength(reply.body)));
  res.writeHead(reply.status, headers).end(reply.body);
}
