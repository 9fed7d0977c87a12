/**
 * Redaction for everything written to exports and the conversation store: values under keys that name a secret, and token shapes anywhere in
 * text (Slack xox* tokens, bearer credentials, AWS access key ids and secret keys, signing headers).
 */

export const REDACTED = '[REDACTED]';

const SECRET_KEY = /secret|token|password|passwd|authorization|api[_-]?key|credential|signature|cookie/i;
const TOKEN_SHAPES: RegExp[] = [
  /\bxox[abposre]-[A-Za-z0-9-]{8,}/g, // Slack bot/user/app tokens
  /\bxapp-[A-Za-z0-9-]{8,}/g,
  /\bBearer\s+[A-Za-z0-9._~+/=-]{8,}/gi,
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /(aws_secret_access_key|secretAccessKey)(["'\s:=]+)[A-Za-z0-9/+=]{40}/gi,
  /\bv1=[0-9a-f]{64}\b/g, // our HMAC signatures
];

export function redactText(text: string): string {
  let out = text;
  for (const shape of TOKEN_SHAPES) {
    out = out.replace(shape, (match, key?: unknown, sep?: unknown) =>
      (typeof key === 'string' && typeof sep === 'string' ? `${key}${sep}${REDACTED}` : REDACTED));
  }
  return out;
}

export function redact<T>(value: T): T {
  return walk(value) as T;
}

function walk(value: unknown, key?: string): unknown {
  // Only text under a secret-sounding key: numbers such as usage.inputTokens are not secrets.
  if (key !== undefined && SECRET_KEY.test(key) && typeof value === 'string') return REDACTED;
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => walk(v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
  }
  return value;
}
