/**
 * The webhook request contract (the seed's, plus `callback_url` and `session_id`): every problem is reported at
 * once, each naming its field, so a caller can fix a request in one round trip.
 */
import type { ManifestWebhookChannel } from '../../../compiler/manifest.ts';
import { isCallbackAllowed } from './callbackAllow.ts';

export interface WebhookRequest {
  query: string;
  source_system: string;
  source_process?: string;
  timestamp?: string;
  callback_url?: string;
  session_id?: string;
}

export interface FieldError {
  field: string;
  message: string;
}

/** Bounds the seed left open; generous, but a label is not an essay. */
export const SOURCE_SYSTEM_MAX = 100;
export const SOURCE_PROCESS_MAX = 200;
/** Bedrock session ids: 2..100 of [0-9a-zA-Z._:-]. */
const SESSION_ID = /^[0-9a-zA-Z._:-]{2,100}$/;
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

export type Validation = { ok: true; request: WebhookRequest } | { ok: false; errors: FieldError[] };

export function validateWebhookRequest(body: unknown, channel: ManifestWebhookChannel): Validation {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, errors: [{ field: 'body', message: 'expected a JSON object with query and source_system' }] };
  }
  const input = body as Record<string, unknown>;
  const errors: FieldError[] = [];
  const optionalString = (field: string): string | undefined => {
    const value = input[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
      errors.push({ field, message: 'must be a string' });
      return undefined;
    }
    return value;
  };

  const query = input.query;
  if (typeof query !== 'string' || query.trim() === '') {
    errors.push({ field: 'query', message: query === undefined ? 'is required' : 'must be a non-empty string' });
  } else if (query.length > channel.limits.maxQueryChars && codePoints(query) > channel.limits.maxQueryChars) {
    // Characters, not UTF-16 units; a string no longer in units than the limit is within it in characters too.
    errors.push({ field: 'query', message: `must be at most ${channel.limits.maxQueryChars} characters (got ${codePoints(query)})` });
  }

  const source = input.source_system;
  if (typeof source !== 'string' || source === '') {
    errors.push({ field: 'source_system', message: source === undefined ? 'is required' : 'must be a non-empty string' });
  } else if (!/^[A-Za-z0-9_]+$/.test(source)) {
    errors.push({ field: 'source_system', message: 'may contain only letters, digits and underscore' });
  } else if (source.length > SOURCE_SYSTEM_MAX) {
    errors.push({ field: 'source_system', message: `must be at most ${SOURCE_SYSTEM_MAX} characters` });
  }

  const process = optionalString('source_process');
  if (process !== undefined && process.length > SOURCE_PROCESS_MAX) {
    errors.push({ field: 'source_process', message: `must be at most ${SOURCE_PROCESS_MAX} characters` });
  }
  const timestamp = optionalString('timestamp');
  if (timestamp !== undefined && (!ISO_8601.test(timestamp) || Number.isNaN(Date.parse(timestamp)))) {
    errors.push({ field: 'timestamp', message: 'must be an ISO 8601 date-time such as 2025-08-16T16:30:00Z' });
  }
  const callback = optionalString('callback_url');
  if (callback !== undefined && !isCallbackAllowed(callback, channel.callbackAllow)) {
    errors.push({ field: 'callback_url', message: channel.callbackAllow.length === 0
      ? 'this channel accepts no callback_url (its callback_allow list is empty); results go to the operator\'s WEBHOOK_URL'
      : `must match one of the channel's callback_allow patterns: ${channel.callbackAllow.join(', ')}` });
  }
  const session = optionalString('session_id');
  if (session !== undefined && !SESSION_ID.test(session)) {
    errors.push({ field: 'session_id', message: 'must be 2 to 100 of letters, digits and . _ : -' });
  }

  if (errors.length > 0) return { ok: false, errors };
  // Optional fields assigned, not spread: this runs on every accepted request, and each spread was a copy (issue 16).
  const request: WebhookRequest = { query: (query as string).trim(), source_system: source as string };
  if (process !== undefined) request.source_process = process;
  if (timestamp !== undefined) request.timestamp = timestamp;
  if (callback !== undefined) request.callback_url = callback;
  if (session !== undefined) request.session_id = session;
  return { ok: true, request };
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}
