/**
 * Runs a runtime's Hono app on a Node HTTP server (`@hono/node-server`) with the caller's socket address for rate
 * limiting, and starts the local consumers. Shared by `revops serve`, `npm start`, the crash test and the bench.
 */
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Runtime } from '../wiring.ts';

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(runtime: Runtime, options: { port: number; hostname?: string; consume?: boolean }): Promise<Listening> {
  const hostname = options.hostname ?? '127.0.0.1';
  const server: ServerType = await new Promise((resolve) => {
    const s: ServerType = serve({ fetch: runtime.app.fetch, port: options.port, hostname }, () => resolve(s));
  });
  // Keep idle keep-alive sockets a little longer than common client pools (Node's default of 5 s drops them early).
  if ('keepAliveTimeout' in server) server.keepAliveTimeout = 65_000;
  if (options.consume !== false) runtime.startConsumers();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostname}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      await runtime.close();
    },
  };
}
