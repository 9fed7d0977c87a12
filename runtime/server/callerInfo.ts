/** The caller's address on the Node server: the socket's remote address (X-Forwarded-For is not trusted locally). */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { CallerInfo } from '../channels/webhook/ingress.ts';

export function nodeCallerInfo(c: Context): CallerInfo {
  const ip = getConnInfo(c).remote.address;
  const userAgent = c.req.header('user-agent');
  return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
}
