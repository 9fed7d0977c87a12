/**
 * JSON replies for the webhook routes (the same code runs in the Node server and on Lambda), with the CORS headers
 * the seed's gateway sent. A browser reads `Allow-Methods` and `Allow-Headers` only from a preflight's answer
 * (Fetch standard, CORS protocol), so the other replies carry just the origin and the headers a page may read.
 */
import type { Reply } from '../route.ts';

const corsReplyHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'X-Request-ID, Retry-After, Idempotent-Replayed',
};

const corsPreflightHeaders: Record<string, string> = {
  ...corsReplyHeaders,
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Revops-Timestamp, X-Revops-Signature, Idempotency-Key',
};

const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json', ...corsReplyHeaders };

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply =>
  ({ status, headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS, body: JSON.stringify(body) });

export const failure = (status: number, code: string, message: string, headers?: Record<string, string>): Reply =>
  json(status, { success: false, error: { code, message } }, headers);

export const preflight = (): Reply => ({ status: 204, headers: { ...corsPreflightHeaders, 'Access-Control-Max-Age': '600' }, body: null });
