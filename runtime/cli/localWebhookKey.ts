/**
 * `npm start` is the local quick start: the webhook channel requires authentication (specs/channels/webhook.yaml),
 * so with no WEBHOOK_API_KEYS and no WEBHOOK_SIGNING_SECRET configured it creates one random development key, keeps
 * it in the data dir (mode 0600, git-ignored) and uses it for this process. Auth stays on; the key is never printed,
 * only the file that holds it. `revops serve` never does this: production configures its own keys.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { dataDirOf } from '../config.ts';

type Env = Record<string, string | undefined>;

export const LOCAL_KEY_FILE = 'dev-webhook-key';

export async function withLocalWebhookKey(env: Env, cwd: string): Promise<{ env: Env; keyFile?: string }> {
  if (env.WEBHOOK_API_KEYS?.trim() || env.WEBHOOK_SIGNING_SECRET?.trim()) return { env };
  const keyFile = join(dataDirOf(env, cwd), LOCAL_KEY_FILE);
  let key = await readFile(keyFile, 'utf8').then((text) => text.trim(), () => '');
  if (key.length < 16) {
    key = randomBytes(24).toString('base64url');
    await mkdir(dirname(keyFile), { recursive: true });
    await writeFile(keyFile, `${key}\n`, { mode: 0o600 });
  }
  return { env: { ...env, WEBHOOK_API_KEYS: key }, keyFile };
}
