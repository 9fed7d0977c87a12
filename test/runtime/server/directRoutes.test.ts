/**
 * The Node server's direct routes (runtime/server/directRoutes.ts) over a real socket: which requests they answer
 * and which go on to Hono, what a route reads, an unread body, a route that throws, and the webhook's own accept
 * path giving the same answers both ways.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { directListener } from '../../../runtime/server/directRoutes.ts';
import type { DirectRoute, Reply, RouteRequest } from '../../../runtime/channels/route.ts';
import { createLogger } from '../../../runtime/logging/logger.ts';
import { listen, type Listening } from '../../../runtime/server/listen.ts';
import { API_KEY, SIGNING_SECRET, testRuntime } from '../../support/runtime.ts';
import { signatureHeaders } from '../../../runtime/channels/webhook/signature.ts';

let server: Server | undefined;
let listening: Listening | undefined;
let dataDir: string | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  server = undefined;
  await listening?.close();
  listening = undefined;
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

interface Seen { path: string; via: 'direct' | 'hono'; body?: string | undefined; header?: string | undefined }

async function start(
  handle: (request: RouteRequest) => Promise<string>, logs: string[] = [], reply: (body: string) => Reply = (body) => ({ status: 200, headers: { 'Content-Type': 'text/plain' }, body: `direct:${body}` }),
): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const route: DirectRoute = {
    method: 'POST', path: '/in', maxBodyBytes: 100,
    handle: async (request) => {
      const body = await handle(request);
      seen.push({ path: '/in', via: 'direct', body, header: request.header('X-Thing') });
      return reply(body);
    },
  };
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line) });
  server = createServer(directListener([route], (req, res) => {
    seen.push({ path: req.url ?? '', via: 'hono' });
    req.resume();
    req.on('end', () => res.writeHead(202).end('hono'));
  }, logger));
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** One request on a keep-alive agent-less socket; `chunked` sends the body without a Content-Length. */
function send(url: string, path: string, body: string, options: { chunked?: boolean; method?: string; headers?: Record<string, string | string[]> } = {}): Promise<{ status: number; text: string; headers?: IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, {
      method: options.method ?? 'POST',
      headers: { ...(options.chunked ? {} : { 'content-length': String(Buffer.byteLength(body)) }), ...options.headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => {
        // Non-enumerable, so `toEqual` on status and text alone still holds.
        const answer = { status: res.statusCode ?? 0, text };
        Object.defineProperty(answer, 'headers', { value: res.headers, enumerable: false });
        resolve(answer);
      });
    });
    req.on('error', reject);
    if (options.chunked) req.write(body);
    req.end(options.chunked ? undefined : body);
  });
}

describe('direct routes on the Node server', () => {
  it('answer their method and exact path when the body is declared within the limit, and hand every other request to Hono', async () => {
    const { url, seen } = await start(async (request) => (await request.text(100)) ?? 'too large');
    expect(await send(url, '/in', 'hello', { headers: { 'X-Thing': 'a' } })).toEqual({ status: 200, text: 'direct:hello' });
    expect(await send(url, '/in', 'hello', { chunked: true })).toEqual({ status: 202, text: 'hono' });
    expect(await send(url, '/in', 'x'.repeat(101))).toEqual({ status: 202, text: 'hono' });
    expect(await send(url, '/in?x=1', 'hello')).toEqual({ status: 202, text: 'hono' });
    expect(await send(url, '/in', 'hello', { method: 'PUT' })).toEqual({ status: 202, text: 'hono' });
    expect(await send(url, '/other', 'hello')).toEqual({ status: 202, text: 'hono' });
    expect(seen.map((s) => s.via)).toEqual(['direct', 'hono', 'hono', 'hono', 'hono', 'hono']);
    expect(seen[0]).toMatchObject({ body: 'hello', header: 'a' });
  });

  it('declares the length of what it answers (one write, not chunks), and none for a reply without a body', async () => {
    const { url } = await start(async (request) => (await request.text(100)) ?? '');
    const framed = await send(url, '/in', 'häst');
    expect(framed.text).toBe('direct:häst');
    expect(framed.headers?.['content-length']).toBe(String(Buffer.byteLength('direct:häst')));
    expect(framed.headers?.['transfer-encoding']).toBeUndefined();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server!.closeAllConnections();
    const { url: empty } = await start(async () => '', [], () => ({ status: 204, headers: {}, body: null }));
    const none = await send(empty, '/in', 'x');
    expect(none.status).toBe(204);
    expect(none.headers?.['content-length']).toBeUndefined();
  });

  it('drops the connection of a reply Node refuses to write, logs why, and serves the next request', async () => {
    const logs: string[] = [];
    let bad = true;
    const { url } = await start(async () => 'x', logs, () => ({ status: 200, headers: { 'X-Bad': bad ? 'line\nbreak' : 'fine' }, body: 'ok' }));
    await expect(send(url, '/in', 'x')).rejects.toThrow();
    expect(logs.some((l) => l.includes('reply could not be written'))).toBe(true);
    bad = false;
    expect(await send(url, '/in', 'x')).toEqual({ status: 200, text: 'ok' });
  });

  it('reads a body of multi-byte characters whole, and refuses it to a route that asks for less than was declared', async () => {
    const { url } = await start(async (request) => `${(await request.text(100)) ?? 'none'}|${(await request.text(3)) ?? 'over 3'}`);
    expect((await send(url, '/in', 'häst😀')).text).toBe('direct:häst😀|over 3');
  });

  it('drains a body the route never read, so the connection serves the next request', async () => {
    const { url } = await start(async () => 'unread');
    for (let i = 0; i < 3; i += 1) expect(await send(url, '/in', 'x'.repeat(90))).toEqual({ status: 200, text: 'direct:unread' });
  });

  it('answers nothing and logs nothing for a client that leaves mid-body, and serves the next one', async () => {
    const logs: string[] = [];
    const { url } = await start(async (request) => (await request.text(100)) ?? 'too large', logs);
    const { port } = new URL(url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /in HTTP/1.1\r\nHost: x\r\nContent-Length: 90\r\n\r\n' + 'x'.repeat(10));
        setTimeout(() => socket.destroy(), 50);
      });
      socket.on('close', () => resolve());
    });
    expect(await send(url, '/in', 'hello')).toEqual({ status: 200, text: 'direct:hello' });
    expect(logs.filter((l) => l.includes('request failed'))).toEqual([]);
  });

  it('answers a route that throws with a 500 that names a reference, never the exception, and logs it', async () => {
    const logs: string[] = [];
    const { url } = await start(async () => {
      throw new Error('secret detail of the failure');
    }, logs);
    const res = await send(url, '/in', 'hello');
    expect(res.status).toBe(500);
    const body = JSON.parse(res.text) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('internal_error');
    expect(res.text).not.toContain('secret detail');
    const reference = /reference ([0-9a-f-]{36})/.exec(body.error.message)?.[1];
    expect(logs.some((l) => l.includes('request failed') && l.includes(reference!) && l.includes('secret detail'))).toBe(true);
  });

  it('gives the webhook the same answers directly and through Hono', async () => {
    const rt = await testRuntime();
    dataDir = rt.dataDir;
    listening = await listen(rt, { port: 0, consume: false });
    const post = (body: string, chunked: boolean, headers: Record<string, string> = { authorization: `Bearer ${API_KEY}` }) =>
      send(listening!.url, '/webhook', body, { chunked, headers: { 'content-type': 'application/json', ...headers } });
    for (const chunked of [false, true]) {
      const ok = await post(JSON.stringify({ query: 'What deals are closing this quarter?', source_system: 'crm' }), chunked);
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.text)).toMatchObject({ success: true, status: 'queued' });
      const invalid = await post(JSON.stringify({ query: '' }), chunked);
      expect(invalid.status).toBe(400);
      expect((JSON.parse(invalid.text) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['query', 'source_system']);
      expect((await post('{}', chunked, {})).status).toBe(401);
      expect((await post('not json', chunked)).status).toBe(400);
    }
    expect((await rt.queues.webhook!.stats()).visible).toBe(2);
  });

  it('refuses a repeated Authorization, signature, timestamp or Idempotency-Key with the same 400 directly and through Hono', async () => {
    const rt = await testRuntime();
    dataDir = rt.dataDir;
    listening = await listen(rt, { port: 0, consume: false });
    const body = JSON.stringify({ query: 'What deals are closing this quarter?', source_system: 'crm' });
    const signed = signatureHeaders(SIGNING_SECRET, body, Date.now());
    const [timestamp, signature] = Object.values(signed) as [string, string];
    const bearer = `Bearer ${API_KEY}`;
    const repeats: Array<[string, Record<string, string | string[]>]> = [
      // A valid key first and a bogus one after: the direct route kept the first and accepted the request.
      ['Authorization', { authorization: [bearer, 'Bearer bogus-key-0123456789'] }],
      ['Authorization', { authorization: [bearer, bearer] }],
      ['X-Revops-Signature', { 'x-revops-timestamp': timestamp, 'x-revops-signature': [signature, 'v1=00'] }],
      ['X-Revops-Timestamp', { 'x-revops-timestamp': [timestamp, timestamp], 'x-revops-signature': signature }],
      ['Idempotency-Key', { authorization: bearer, 'idempotency-key': ['a', 'b'] }],
    ];
    for (const [name, headers] of repeats) {
      for (const [via, path, chunked] of [['direct', '/webhook', false], ['chunked', '/webhook', true], ['query', '/webhook?x=1', false]] as const) {
        const res = await send(listening.url, path, body, { chunked, headers: { 'content-type': 'application/json', ...headers } });
        expect({ name, via, status: res.status, code: (JSON.parse(res.text) as { error?: { code: string } }).error?.code })
          .toEqual({ name, via, status: 400, code: 'repeated_header' });
      }
      const read = await send(listening.url, '/webhook/some-id', '', { method: 'GET', headers });
      expect({ name, status: read.status }).toEqual({ name, status: 400 });
    }
    expect((await rt.queues.webhook!.stats()).visible).toBe(0);
  });
});
