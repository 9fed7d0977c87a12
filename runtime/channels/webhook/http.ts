/**
 * JSON replies for the webhook routes (the same code runs in the Node server and on Lambda), with the CORS headers
 * the seed's gateway sent.
 */
import type { Reply } from '../route.ts';

export const corsHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization, X-Revops-Timestamp, X-Revops-Signature, Idempotency-Key',
  'Access-Control-Expose-Headers': 'X-Request-ID, Retry-After, Idempotent-Replayed',
};

const JSON_HEADERS: Readonly<Record<string, string>> = { 'Content-Type': 'application/json', ...corsHeaders };

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply =>
  ({ status, headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS, body: JSON.stringify(body) });

export const failure = (status: number, code: string, message: string, headers?: Record<string, string>): Reply =>
  json(status, { success: false, error: { code, message } }, headers);

export const preflight = (): Reply => ({ status: 204, headers: { ...corsHeaders, 'Access-Control-Max-Age': '600' }, body: null });
