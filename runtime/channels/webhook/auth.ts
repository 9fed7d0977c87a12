/**
 * Webhook authentication as the channel spec says: bearer keys (WEBHOOK_API_KEYS) and/or an HMAC signature
 * (WEBHOOK_SIGNING_SECRET); either enabled method suffices. `auth: none` only when the spec says so explicitly
 * (the seed's gateway had no authentication at all). Keys are compared in constant time via their SHA-256 digests.
 *
 * The caller's identity owns what it creates (its sessions, its requests' status): `key-<fingerprint>` for a bearer
 * key, `signer-<fingerprint>` for the HMAC secret, `undefined` for an anonymous channel. A fingerprint is a short
 * digest of the credential itself, not its position in WEBHOOK_API_KEYS, so reordering or removing other keys never
 * hands one caller's sessions to another; a rotated key is a new caller.
 */
import { createHash, hash, timingSafeEqual } from 'node:crypto';
import type { ManifestWebhookChannel } from '../../../compiler/manifest.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature.ts';

export interface WebhookSecrets {
  apiKeys: string[];
  signingSecret?: string;
}

export type AuthResult =
  | {
    ok: true;
    identity: string | undefined;
    /** The verified HMAC signature: a replay of one signed request carries the same one within the window. */
    signature?: string;
  }
  | { ok: false; status: 401 | 503; code: string; message: string };

/** The spec requires authentication but nothing is configured to check it with: refuse (503), never fall open. */
export function authUnavailable(auth: ManifestWebhookChannel['auth'], secrets: WebhookSecrets): AuthResult | undefined {
  if (auth === 'none') return undefined;
  const usable = (auth.bearer && secrets.apiKeys.length > 0) || (auth.hmac && secrets.signingSecret !== undefined);
  if (usable) return undefined;
  const wanted = [auth.bearer ? 'WEBHOOK_API_KEYS' : '', auth.hmac ? 'WEBHOOK_SIGNING_SECRET' : ''].filter(Boolean).join(' or ');
  return { ok: false, status: 503, code: 'auth_not_configured',
    message: `the webhook channel requires authentication but ${wanted} is not set; the operator must set it and restart` };
}

/**
 * `signed` is what an HMAC signature must cover besides the timestamp (`signedText`): a question's raw body, a status
 * read's or a decision's method and path. A signature over one never authorizes another.
 */
export function authenticate(
  auth: ManifestWebhookChannel['auth'], secrets: WebhookSecrets, header: (name: string) => string | undefined, signed: SignedText, nowMs: number,
): AuthResult {
  if (auth === 'none') return { ok: true, identity: undefined };
  const unavailable = authUnavailable(auth, secrets);
  if (unavailable) return unavailable;
  const authorization = header('authorization');
  if (auth.bearer && secrets.apiKeys.length > 0 && authorization) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
    const keys = keyTable(secrets.apiKeys);
    const index = match?.[1] ? findKey(keys.digests, match[1]) : -1;
    if (index >= 0) return { ok: true, identity: keys.identities[index]! };
    if (header(SIGNATURE_HEADER) === undefined) {
      return { ok: false, status: 401, code: 'invalid_api_key', message: 'the bearer key is not one of WEBHOOK_API_KEYS' };
    }
  }
  const signature = header(SIGNATURE_HEADER);
  if (auth.hmac && secrets.signingSecret !== undefined && signature !== undefined) {
    const check = verifySignature({
      secret: secrets.signingSecret, timestamp: header(TIMESTAMP_HEADER) ?? null, signature, body: signed.text, covers: signed.shape, nowMs,
    });
    return check.ok
      ? { ok: true, identity: `signer-${fingerprint(secrets.signingSecret)}`, signature }
      : { ok: false, status: 401, code: check.code, message: check.message };
  }
  const ways = [
    auth.bearer && secrets.apiKeys.length > 0 ? 'Authorization: Bearer <key>' : '',
    auth.hmac && secrets.signingSecret !== undefined ? `${TIMESTAMP_HEADER} + ${SIGNATURE_HEADER}` : '',
  ].filter(Boolean);
  return { ok: false, status: 401, code: 'missing_credentials', message: `send ${ways.join(' or ')}` };
}

/** What an HMAC signature covers after `<timestamp>.`, and its shape for the caller told it does not match. */
export interface SignedText {
  text: string;
  shape: string;
}

/**
 * The signed text of each kind of request; README's "Webhook API" lists the same. A status read or a decision has
 * no body that says what it does, so it signs its method and path, which name the request and, for a decision,
 * approve or reject: a signature made for any other request never matches. A question's body is JSON, which never
 * starts with a method name, so no question's signature is a read's or a decision's either.
 */
export const signedText = {
  question: (body: string): SignedText => ({ text: body, shape: '<raw body>' }),
  statusRead: (trackingId: string): SignedText => ({ text: `GET /webhook/${trackingId}`, shape: 'GET /webhook/<tracking_id>' }),
  decision: (trackingId: string, approve: boolean): SignedText => {
    const verb = approve ? 'approve' : 'reject';
    return { text: `POST /webhook/${trackingId}/${verb}`, shape: `POST /webhook/<tracking_id>/${verb}` };
  },
};

/** 64 bits of a domain-separated SHA-256: enough to tell callers apart, nothing to recover a credential from. */
const fingerprint = (credential: string): string =>
  createHash('sha256').update('revops webhook caller\n').update(credential).digest('hex').slice(0, 16);

const digest = (s: string): Buffer => hash('sha256', s, 'buffer');

/**
 * The configured keys' digests and caller identities, worked out once per key list (fixed for the process) rather
 * than on every request: they were most of the hashing on the accept path.
 */
const keyTables = new WeakMap<readonly string[], { digests: Buffer[]; identities: string[] }>();
function keyTable(keys: readonly string[]): { digests: Buffer[]; identities: string[] } {
  let table = keyTables.get(keys);
  if (!table) {
    table = { digests: keys.map(digest), identities: keys.map((key) => `key-${fingerprint(key)}`) };
    keyTables.set(keys, table);
  }
  return table;
}

/** Index of the matching key; every key is compared, so timing does not tell which or how much matched. */
function findKey(digests: Buffer[], given: string): number {
  const presented = digest(given);
  let found = -1;
  for (let i = 0; i < digests.length; i += 1) if (timingSafeEqual(digests[i]!, presented) && found < 0) found = i;
  return found;
}
