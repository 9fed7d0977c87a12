import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveFetch } from '../../../../runtime/channels/slack/keepAliveFetch.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat.postMessage`;
}

describe('keepAliveFetch', () => {
  it('sends the form body with its headers and gives back status, headers and JSON', async () => {
    let seen: { method?: string; auth?: string; body: string } = { body: '' };
    const url = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
      req.on('end', () => {
        seen = { method: req.method, auth: req.headers.authorization, body };
        res.writeHead(200, { 'content-type': 'application/json', 'retry-after': '3' }).end('{"ok":true,"ts":"1.2"}');
      });
    });
    const res = await keepAliveFetch({ timeoutMs: 1_000 })(url, {
      method: 'POST', headers: { Authorization: 'Bearer xoxb-1' }, body: 'channel=C1&text=hi',
    });
    expect(seen).toEqual({ method: 'POST', auth: 'Bearer xoxb-1', body: 'channel=C1&text=hi' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Retry-After')).toBe('3');
    expect(await res.json()).toEqual({ ok: true, ts: '1.2' });
  });

  it('fails a request whose server stays silent longer than the timeout, naming the origin', async () => {
    const url = await listen(() => undefined);
    const started = performance.now();
    await expect(keepAliveFetch({ timeoutMs: 150 })(url, { method: 'POST', body: 'x=1' }))
      .rejects.toThrow(/no response from http:\/\/127\.0\.0\.1:\d+ within 150 ms/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });
});
