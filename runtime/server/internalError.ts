/**
 * The answer to a request whose route threw: logged with a reference the caller is given, never the exception text
 * (the seed answered invalid input with its Python traceback). Hono's error handler and the Node server's direct
 * routes (directRoutes.ts) both answer with it.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logging/logger.ts';
import type { Reply } from '../channels/route.ts';
import { json } from '../channels/webhook/http.ts';

export function internalError(logger: Logger, path: string, error: unknown): Reply {
  const reference = randomUUID();
  logger.error('request failed', { correlation_id: reference, path, error });
  return json(500, { success: false, error: { code: 'internal_error', message: `the server failed on this request; reference ${reference}` } });
}
