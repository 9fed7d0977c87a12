/**
 * Which earlier request a webhook request repeats (issue 10, defect 6: one signed request sent three times became
 * three jobs). Two rules, each scoped to the channel and the authenticated caller:
 * - an `Idempotency-Key` header (IETF draft-ietf-httpapi-idempotency-key-header): the same key from the same caller
 *   is the same request for as long as its status record is kept;
 * - an HMAC-signed request: the same signature is the same request. The signature covers the timestamp and the
 *   body, and is accepted only within the 5-minute window, so a replay inside the window finds the first request
 *   and one outside it is refused as stale. It applies whatever the headers say, so a captured request replayed
 *   with a new Idempotency-Key is still the same request.
 * Keys are stored as digests: a caller's raw keys never reach the status store. A key is claimed before the request
 * is queued (on S3 the conditional write is what makes concurrent ingress functions agree), confirmed once it is,
 * and withdrawn when the enqueue fails. A claim left unconfirmed by a crash in between gives way after its grace
 * (`CLAIM_GRACE_MS`), so the retry runs; a crash after the enqueue but before the confirmation can then queue the
 * request twice — at least once, never lost.
 */
import { createHash } from 'node:crypto';
import type { IdempotencyClaim, StatusStore } from './statusStore.ts';
import type { FieldError } from './validate.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Visible ASCII, as for header tokens; 255 is the length the common APIs accept (a UUID needs 36). */
const KEY = /^[\x21-\x7e]{1,255}$/u;

export type IdempotencyKeys = { ok: true; keys: string[] } | { ok: false; error: FieldError };

export function idempotencyKeys(input: {
  channel: string; caller: string | undefined; header: string | undefined; signature: string | undefined;
}): IdempotencyKeys {
  if (input.header !== undefined && !KEY.test(input.header)) {
    return { ok: false, error: { field: IDEMPOTENCY_HEADER, message: 'must be 1 to 255 visible ASCII characters (a UUID is a good key)' } };
  }
  const scoped = (kind: string, value: string): string =>
    createHash('sha256').update([input.channel, input.caller ?? '', kind, value].join('\n')).digest('hex');
  // The signature first: a replay must find the request it repeats before a new header key is claimed for it.
  const keys: string[] = [];
  if (input.signature !== undefined) keys.push(scoped('signature', input.signature));
  if (input.header !== undefined) keys.push(scoped('header', input.header));
  return { ok: true, keys };
}

/**
 * Claims each key for a new request, in order. Stops at the first key already held by an earlier request
 * (`repeated`) and withdraws the ones this call claimed, so they do not point at a request that never ran.
 */
export async function claimAll(
  status: StatusStore, keys: string[], claim: IdempotencyClaim,
): Promise<{ repeated?: IdempotencyClaim; claimed: string[] }> {
  const claimed: string[] = [];
  for (const key of keys) {
    const held = await status.claim(key, claim);
    if (held.tracking_id !== claim.tracking_id) {
      await releaseAll(status, claimed);
      return { repeated: held, claimed: [] };
    }
    claimed.push(key);
  }
  return { claimed };
}

/** Marks the claims as queued: they stand for the whole retention from now on. */
export const confirmAll = async (status: StatusStore, keys: string[], claim: IdempotencyClaim): Promise<void> => {
  await Promise.all(keys.map((key) => status.confirm(key, claim)));
};

export const releaseAll = async (status: StatusStore, keys: string[]): Promise<void> => {
  await Promise.all(keys.map((key) => status.release(key)));
};
