/** A loopback webhook receiver (127.0.0.1, port 0) that records every delivery and answers as scripted. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedDelivery {
  headers: Record<string, string | string[] | undefined>;
  body: string;
  status: number;
}

export interface Receiver {
  url: string;
  deliveries: ReceivedDelivery[];
  /** Successful deliveries' parsed bodies. */
  accepted(): Array<Record<string, unknown>>;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** While holding, requests are read but never answered (and not recorded): the sender cannot know the outcome. */
  hold(holding: boolean): void;
  close(): Promise<void>;
}

/** `statusFor(n)` gives the HTTP status for the n-th delivery (1-based); default 200. */
export async function startReceiver(statusFor: (n: number, body: string) => number = () => 200): Promise<Receiver> {
  const deliveries: ReceivedDelivery[] = [];
  let holding = false;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (holding) return;
      const body = Buffer.concat(chunks).toString('utf8');
      const status = statusFor(deliveries.length + 1, body);
      deliveries.push({ headers: req.headers, body, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/revops`,
    deliveries,
    accepted: () => deliveries.filter((d) => d.status < 300).map((d) => JSON.parse(d.body) as Record<string, unknown>),
    hold(value) {
      holding = value;
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met within ${timeoutMs} ms (${deliveries.length} deliveries)`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
