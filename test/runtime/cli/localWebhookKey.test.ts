import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withLocalWebhookKey } from '../../../runtime/cli/localWebhookKey.ts';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'local-key-')); });
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('withLocalWebhookKey (npm start)', () => {
  it('creates one private development key in the data dir and reuses it on the next start', async () => {
    const first = await withLocalWebhookKey({ REVOPS_DATA_DIR: 'data' }, dir);
    expect(first.keyFile).toBe(join(dir, 'data', 'dev-webhook-key'));
    expect(first.env.WEBHOOK_API_KEYS).toMatch(/^[\w-]{32}$/);
    expect((await stat(first.keyFile!)).mode & 0o777).toBe(0o600);
    expect((await readFile(first.keyFile!, 'utf8')).trim()).toBe(first.env.WEBHOOK_API_KEYS);
    const second = await withLocalWebhookKey({ REVOPS_DATA_DIR: 'data' }, dir);
    expect(second.env.WEBHOOK_API_KEYS).toBe(first.env.WEBHOOK_API_KEYS);
  });

  it.each([
    ['WEBHOOK_API_KEYS', { WEBHOOK_API_KEYS: 'operator-key-0123456789' }],
    ['WEBHOOK_SIGNING_SECRET', { WEBHOOK_SIGNING_SECRET: 'operator-secret' }],
  ])('leaves configured auth alone (%s)', async (_name, env) => {
    const result = await withLocalWebhookKey(env, dir);
    expect(result).toEqual({ env });
  });
});
