/**
 * Runs a runtime's Hono app on a Node HTTP server (`@hono/node-server`) with the caller's socket address for rate
 * limiting, and starts the local consumers. Shared by `revops serve`, `npm start`, the crash test and the bench.
 * The channels' direct routes are answered before Hono (directRoutes.ts). Connections it closes linger briefly
 * (lingeringClose.ts), so a refused body's 413 reaches its client.
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import type { Hono } from 'hono';
import { CodedError } from '../../compiler/codedError.ts';
import type { Logger } from '../logging/logger.ts';
import type { DirectRoute } from '../channels/route.ts';
import { lingerOnClose } from './lingeringClose.ts';
import { directListener } from './directRoutes.ts';

/** The port could not be bound: in use (often another revops server) or not allowed. */
export class ListenError extends CodedError<'port_in_use' | 'listen_failed'> {
  override readonly name = 'ListenError';
}

function listenError(error: NodeJS.ErrnoException, hostname: string, port: number): ListenError {
  if (error.code === 'EADDRINUSE') {
    return new ListenError('port_in_use', `port ${port} on ${hostname} is in use (another revops server?); stop it, or pass --port or set PORT`, { cause: error });
  }
  return new ListenError('listen_failed', `cannot listen on ${hostname}:${port}: ${error.message}; pass another --port or HOST`, { cause: error });
}

/** What the server runs: the app, the local consumers to start once it listens, and what to close after it. */
export interface Served {
  app: Hono;
  /** Routes answered without Hono when a request allows (channels/route.ts); Hono serves them too. */
  direct: readonly DirectRoute[];
  logger: Logger;
  startConsumers(): unknown;
  close(): Promise<void>;
}

export interface Listening {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function listen(runtime: Served, options: { port: number; hostname?: string; consume?: boolean }): Promise<Listening> {
  const hostname = options.hostname ?? '127.0.0.1';
  let server: Server;
  try {
    server = await new Promise((resolve, reject) => {
      const hono = getRequestListener(runtime.app.fetch, { hostname });
      const s = createServer(directListener(runtime.direct, (req, res) => void hono(req, res), runtime.logger));
      s.listen(options.port, hostname, () => resolve(s));
      s.once('error', reject);
      s.on('connection', lingerOnClose);
    });
  } catch (error) {
    await runtime.close();
    throw listenError(error as NodeJS.ErrnoException, hostname, options.port);
  }
  // Keep idle keep-alive sockets a little longer than common client pools (Node's default of 5 s drops them early).
  server.keepAliveTimeout = 65_000;
  if (options.consume !== false) runtime.startConsumers();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${hostname}:${port}`,
    port,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await runtime.close();
    },
  };
}
