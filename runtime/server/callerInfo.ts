/** The caller's address on the Node server: the socket's remote address (X-Forwarded-For is not trusted locally). */
import type { HttpBindings } from '@hono/node-server';
import type { CallerAddress } from './createApp.ts';

export const nodeCallerAddress: CallerAddress = (bindings) => {
  const node = bindings as Partial<HttpBindings> & { server?: HttpBindings };
  return (node.server ?? node).incoming?.socket.remoteAddress;
};
