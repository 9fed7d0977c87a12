/**
 * The outbound guard (runtime/net) over real sockets: loopback servers only. Restricted addresses in every written
 * form, reached through the URL or through a resolver; DNS rebinding; redirects; the size cap; timeouts.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundError, outboundRequest, type OutboundPolicy, type ResolvedAddress, type Resolver } from '../../../runtime/net/index.ts';
import { restrictedKind } from '../../../runtime/net/restrictedAddress.ts';
import { startLoopbackServer, type LoopbackServer, type Reply } from '../../support/loopbackServer.ts';

let server: LoopbackServer;
let reply: Reply = { status: 200, body: 'ok' };
beforeAll(async () => {
  server = await startLoopbackServer(() => reply);
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  reply = { status: 200, body: 'ok' };
});

const table = (entries: Record<string, string[]>): Resolver => async (hostname) => {
  const addresses = entries[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  return addresses.map((address): ResolvedAddress => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const notExplicit: OutboundPolicy = { hostNamedExplicitly: false };
const get = (url: string, policy: OutboundPolicy = notExplicit, limits: { timeoutMs?: number; maxResponseBytes?: number; connectTimeoutMs?: number } = {}) =>
  outboundRequest({ url: new URL(url), method: 'GET', timeoutMs: limits.timeoutMs ?? 5_000, maxResponseBytes: limits.maxResponseBytes ?? 65_536,
    ...(limits.connectTimeoutMs ? { connectTimeoutMs: limits.connectTimeoutMs } : {}) }, policy);
const failure = async (pending: Promise<unknown>): Promise<OutboundError> => {
  const error = await pending.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(OutboundError);
  return error as OutboundError;
};

describe('restricted addresses written in the URL', () => {
  // Every one of these reaches this machine's loopback (or all interfaces): the WHATWG URL parser rewrites the
  // decimal, octal, hex and short IPv4 forms to 127.0.0.1 before anything is dialled.
  it.each([
    ['127.0.0.1', 'loopback'], ['127.0.0.2', 'loopback'], ['2130706433', 'loopback'], ['0x7f.1', 'loopback'],
    ['0177.0.0.1', 'loopback'], ['0x7f000001', 'loopback'], ['127.1', 'loopback'], ['[::1]', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'], ['[::ffff:7f00:1]', 'loopback'], ['[::127.0.0.1]', 'loopback'],
    ['[64:ff9b::127.0.0.1]', 'loopback'], ['0.0.0.0', 'unspecified'], ['0', 'unspecified'], ['[::]', 'unspecified'],
    ['169.254.169.254', 'link-local'], ['0xa9fea9fe', 'link-local'], ['[::ffff:a9fe:a9fe]', 'link-local'],
  ])('refuses http://%s:<port>/ (%s) before connecting', async (host, kind) => {
    const error = await failure(get(`http://${host}:${server.port}/latest/meta-data/`));
    expect(error.code).toBe('refused');
    expect(error.message).toContain(`is a ${kind} address`);
    expect(server.requests).toHaveLength(0);
  });

  it.each(['127.0.0.1', '2130706433', '0x7f.1', '0177.0.0.1', '127.1'])('reaches http://%s:<port>/ when the configuration names the host', async (host) => {
    const response = await get(`http://${host}:${server.port}/hooks/`, { hostNamedExplicitly: true });
    expect(response).toMatchObject({ status: 200, text: 'ok' });
    expect(server.requests).toHaveLength(1);
  });

  it('refuses a scheme other than http and https', async () => {
    expect((await failure(get('file:///etc/passwd', { hostNamedExplicitly: true }))).code).toBe('refused');
  });
});

describe('restricted addresses a host name resolves to', () => {
  it.each([
    ['10.0.0.1', 'private'], ['10.255.255.255', 'private'], ['172.16.0.1', 'private'], ['172.31.255.254', 'private'],
    ['192.168.1.10', 'private'], ['100.64.0.1', 'carrier-grade NAT'], ['100.127.255.254', 'carrier-grade NAT'],
    ['169.254.169.254', 'link-local'], ['169.254.0.1', 'link-local'], ['127.0.0.1', 'loopback'], ['127.255.0.9', 'loopback'],
    ['0.0.0.0', 'unspecified'], ['224.0.0.1', 'multicast'], ['255.255.255.255', 'reserved'],
    ['::1', 'loopback'], ['::', 'unspecified'], ['fd00::1', 'private (unique local)'], ['fdff:ffff::1', 'private (unique local)'],
    ['fc00::1', 'private (unique local)'], ['fe80::1', 'link-local'], ['febf::1', 'link-local'], ['fe80::1%1', 'link-local'],
    ['ff02::1', 'multicast'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:7f00:1', 'loopback'], ['::ffff:10.1.2.3', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'], ['::ffff:0:7f00:1', 'loopback'], ['::7f00:1', 'loopback'], ['::10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'private'], ['64:ff9b::7f00:1', 'loopback'], ['64:ff9b::169.254.169.254', 'link-local'],
    ['64:ff9b:1::a00:1', 'NAT64 local-use'], ['2002:7f00:1::1', 'loopback'], ['2002:c0a8:101::1', 'private'],
    ['0x7f.1', 'not an IP'], ['2130706433', 'not an IP'],
    ['93.184.216.34 + 192.168.1.10', 'private'],
  ])('refuses a name resolving to %s (%s)', async (answer, kind) => {
    const policy = { hostNamedExplicitly: false, resolveHost: table({ 'hooks.receiver.test': answer.split(' + ') }) };
    const error = await failure(get(`http://hooks.receiver.test:${server.port}/`, policy));
    expect(error.code).toBe('refused');
    expect(error.message).toContain(`resolves to ${kind}`);
    expect(server.requests).toHaveLength(0);
  });

  it.each([
    '93.184.216.34', '8.8.8.8', '172.32.0.1', '172.15.255.255', '100.128.0.1', '192.169.0.1', '11.0.0.1',
    '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1', 'fe00::1',
  ])('judges %s public (never dialled here: no network beyond loopback)', (address) => {
    expect(restrictedKind(address)).toBeUndefined();
  });

  it('reaches a name resolving to loopback when the configuration names the host', async () => {
    const policy = { hostNamedExplicitly: true, resolveHost: table({ 'receiver.internal': ['127.0.0.1'] }) };
    expect((await get(`http://receiver.internal:${server.port}/`, policy)).status).toBe(200);
    expect(server.requests).toHaveLength(1);
  });

  it('checks the answer the connection itself gets (DNS rebinding: public for a check, private for the connection)', async () => {
    const answers = [['93.184.216.34'], ['127.0.0.1']];
    const calls: string[] = [];
    const rebinding: Resolver = async (hostname) => {
      calls.push(hostname);
      return table({ [hostname]: answers[Math.min(calls.length - 1, answers.length - 1)]! })(hostname);
    };
    // What a check made before connecting would see: a public address.
    expect(restrictedKind((await rebinding('rebind.test'))[0]!.address)).toBeUndefined();
    const error = await failure(get(`http://rebind.test:${server.port}/`, { hostNamedExplicitly: false, resolveHost: rebinding }));
    expect(error).toMatchObject({ code: 'refused' });
    expect(error.message).toContain('resolves to loopback address 127.0.0.1');
    expect(calls).toEqual(['rebind.test', 'rebind.test']); // the connection resolved for itself
    expect(server.requests).toHaveLength(0);
  });
});

describe('redirects', () => {
  it.each([301, 302, 303, 307, 308])('reports %i naming the status and never follows it', async (status) => {
    const target = await startLoopbackServer(() => ({ status: 200, body: 'secret' }), '127.0.0.2');
    try {
      reply = { status, headers: { location: `http://127.0.0.2:${target.port}/latest/meta-data/` } };
      const error = await failure(get(`${server.url}/hooks/`, { hostNamedExplicitly: true }));
      expect(error).toMatchObject({ code: 'redirect', redirect: { status, location: `http://127.0.0.2:${target.port}/latest/meta-data/` } });
      expect(error.message).toBe(`answered HTTP ${status} (a redirect to http://127.0.0.2:${target.port}); redirects are not followed`);
      expect(target.requests).toHaveLength(0);
    } finally {
      await target.close();
    }
  });
});

describe('bounds', () => {
  let stream: Server;
  let port: number;
  let written = 0;
  const CHUNK = 64 * 1024;
  const CHUNKS = 1024; // 64 MB at most, and only while the client keeps reading
  beforeAll(async () => {
    stream = createServer((req, res) => {
      written = 0;
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': String(CHUNK * CHUNKS) });
      } else if (req.url === '/hang') {
        return; // headers never come
      } else {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
      }
      let closed = false;
      res.on('close', () => {
        closed = true;
      });
      const pump = (): void => {
        while (!closed && written < CHUNK * CHUNKS) {
          written += CHUNK;
          if (!res.write(Buffer.alloc(CHUNK, 120))) {
            res.once('drain', pump);
            return;
          }
        }
        if (!closed) res.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => stream.listen(0, '127.0.0.1', resolve));
    port = (stream.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => {
    stream.closeAllConnections();
    stream.close(() => resolve());
  }));

  it.each(['/chunked', '/declared'])('stops reading an answer past the size cap (%s)', async (path) => {
    const response = await get(`http://127.0.0.1:${port}${path}`, { hostNamedExplicitly: true }, { maxResponseBytes: 256 * 1024 });
    expect(response).toMatchObject({ status: 200, truncated: true });
    expect(response.text).toBe('x'.repeat(256 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(written).toBeLessThan(CHUNK * CHUNKS); // the server saw the connection close long before 64 MB
  });

  it('reads an answer within the cap whole', async () => {
    reply = { status: 200, body: 'y'.repeat(1000) };
    expect(await get(`${server.url}/`, { hostNamedExplicitly: true }, { maxResponseBytes: 1000 })).toMatchObject({ text: 'y'.repeat(1000), truncated: false });
  });

  it('ends a request the server never answers at the total timeout', async () => {
    const error = await failure(get(`http://127.0.0.1:${port}/hang`, { hostNamedExplicitly: true }, { timeoutMs: 200 }));
    expect(error).toMatchObject({ code: 'timeout', message: 'did not answer within 200 ms' });
  });

  it('ends a connection that is never made at the connect timeout (a resolver that never answers)', async () => {
    const silent: Resolver = () => new Promise<ResolvedAddress[]>(() => undefined);
    const error = await failure(get(`http://stuck.test:${port}/`, { hostNamedExplicitly: true, resolveHost: silent }, { connectTimeoutMs: 100 }));
    expect(error).toMatchObject({ code: 'timeout', message: 'did not accept a connection within 100 ms' });
  });

  it('reports a refused connection as a network error', async () => {
    const closed = await startLoopbackServer(() => ({ status: 200 }));
    await closed.close();
    const error = await failure(get(`${closed.url}/`, { hostNamedExplicitly: true }));
    expect(error).toMatchObject({ code: 'network', message: 'is unreachable (ECONNREFUSED)' });
  });
});
