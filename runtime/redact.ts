/**
 * Redaction for everything written to exports, the conversation store and the log: values under keys that name a
 * secret, token shapes anywhere in text (Slack xox* tokens, bearer credentials, AWS access key ids and secret keys,
 * signing headers), and the process's own configured secrets wherever they appear (`configuredSecrets`): a webhook
 * key or signing secret pasted into a question has no shape to find it by.
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
/** Shorter values under a secret's name are flags and placeholders ("true", "none"), not credentials. */
const MIN_SECRET_CHARS = 8;

/**
 * The values of the environment's secrets (a name that says secret, token, API key, ...: WEBHOOK_API_KEYS,
 * WEBHOOK_SIGNING_SECRET, SLACK_BOT_TOKEN, a tool's credential), each item of a comma-separated list on its own, as
 * WEBHOOK_API_KEYS is read.
 */
export function configuredSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  const found = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (!value || !SECRET_KEY.test(name)) continue;
    for (const item of [value, ...value.split(',')].map((v) => v.trim())) if (item.length >= MIN_SECRET_CHARS) found.add(item);
  }
  // Longest first, so a secret that contains another is hidden whole.
  return [...found].sort((a, b) => b.length - a.length);
}

export interface Redaction {
  redact<T>(value: T): T;
  redactText(text: string): string;
}

/** Redaction that also hides `secrets`, exact values (`configuredSecrets`). */
export function redaction(secrets: readonly string[] = []): Redaction {
  const redactText = (text: string): string => {
    let out = text;
    for (const secret of secrets) if (out.includes(secret)) out = out.replaceAll(secret, REDACTED);
    for (const shape of TOKEN_SHAPES) {
      out = out.replace(shape, (match, key?: unknown, sep?: unknown) =>
        (typeof key === 'string' && typeof sep === 'string' ? `${key}${sep}${REDACTED}` : REDACTED));
    }
    return out;
  };
  const walk = (value: unknown, key?: string): unknown => {
    // Only text under a secret-sounding key: numbers such as usage.inputTokens are not secrets.
    if (key !== undefined && SECRET_KEY.test(key) && typeof value === 'string') return REDACTED;
    if (typeof value === 'string') return redactText(value);
    if (Array.isArray(value)) return value.map((v) => walk(v));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    }
    return value;
  };
  return { redact: <T>(value: T): T => walk(value) as T, redactText };
}

/** Token shapes and secret-named keys only: for what has no configuration at hand. */
export const { redact, redactText } = redaction();
