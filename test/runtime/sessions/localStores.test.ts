/** The file session backend's own cases (its contract runs in test/contracts/embedded.test.ts), and the TTL setting. */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileSessionBackend } from '../../../runtime/sessions/fileBackend.ts';
import { createSessionStore } from '../../../runtime/sessions/sessionStore.ts';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const freshDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'revops-sessions-'));
  dirs.push(dir);
  return dir;
};

describe('file session backend', () => {
  it('reads a damaged record as no session and writes over it', async () => {
    const dir = await freshDir();
    const store = createSessionStore(await createFileSessionBackend(dir, { ttlSeconds: 600 }), { ttlSeconds: 600 });
    await store.append('k', { at: '2026-01-01T00:00:00Z', user: 'q', assistant: 'a' });
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    await writeFile(join(dir, file!), '{"version": 1, "tur');
    expect(await store.turns('k')).toEqual([]);
    await store.append('k', { at: '2026-01-01T00:00:01Z', user: 'q2', assistant: 'a2' });
    expect((await store.turns('k')).map((t) => t.user)).toEqual(['q2']);
  });

  it('breaks a lock left by a process that died holding it', async () => {
    const dir = await freshDir();
    let clock = new Date();
    const backend = await createFileSessionBackend(dir, { ttlSeconds: 600, now: () => clock });
    const store = createSessionStore(backend, { ttlSeconds: 600, now: () => clock });
    await store.append('k', { at: clock.toISOString(), user: 'q', assistant: 'a' });
    const [file] = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    await writeFile(join(dir, `${file}.lock`), '');
    clock = new Date(clock.getTime() + 60_000);
    await store.append('k', { at: clock.toISOString(), user: 'q2', assistant: 'a2' });
    expect((await store.turns('k')).map((t) => t.user)).toEqual(['q', 'q2']);
  });
});

describe('session TTL setting', () => {
  it('takes REVOPS_SESSION_TTL_SECONDS, else the longest supervisor idle TTL, and refuses a bad value naming the variable', async () => {
    const { sessionTtlSeconds } = await import('../../../runtime/sessions/openSessionStore.ts');
    const { testManifest } = await import('../../support/manifest.ts');
    const manifest = testManifest();
    expect(sessionTtlSeconds(manifest, {})).toBe(600);
    expect(sessionTtlSeconds({ ...manifest, agents: [{ role: 'supervisor', idleSessionTtlSeconds: 3600 } as never] }, {})).toBe(3600);
    expect(sessionTtlSeconds(manifest, { REVOPS_SESSION_TTL_SECONDS: '86400' })).toBe(86400);
    expect(() => sessionTtlSeconds(manifest, { REVOPS_SESSION_TTL_SECONDS: 'soon' })).toThrow(/REVOPS_SESSION_TTL_SECONDS: expected a whole number/);
  });
});
