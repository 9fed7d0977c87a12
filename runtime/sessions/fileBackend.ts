/**
 * Sessions in the data directory (`<dataDir>/sessions/`), one JSON file per session named by the sha256 of its key,
 * so any key is a safe file name and several processes (the CLI, the server) share them. A conditional write holds
 * a lock file (created exclusively) while it compares versions and renames a fully written temporary file over the
 * record, so a reader never sees half a record. A lock older than `STALE_LOCK_MS` is left over from a process that
 * died holding it and is broken. Expired records are removed when read and, at start, by their file age.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SessionBackend, SessionRecord } from './sessionStore.ts';

const STALE_LOCK_MS = 10_000;
const LOCK_TRIES = 50;
const LOCK_WAIT_MS = 5;

const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const isCode = (error: unknown, code: string): boolean => (error as NodeJS.ErrnoException | undefined)?.code === code;

function parseRecord(text: string): SessionRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<SessionRecord>;
    return Number.isInteger(value.version) && Array.isArray(value.turns) && typeof value.expiresAt === 'number'
      ? value as SessionRecord : undefined;
  } catch {
    return undefined;
  }
}

export async function createFileSessionBackend(dir: string, options: { ttlSeconds: number; now?: () => Date }): Promise<SessionBackend> {
  const now = options.now ?? (() => new Date());
  await mkdir(dir, { recursive: true });
  await sweep(dir, now().getTime() - options.ttlSeconds * 1000);
  const pathOf = (key: string): string => join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  const live = (record: SessionRecord | undefined): SessionRecord | undefined =>
    record && record.expiresAt * 1000 > now().getTime() ? record : undefined;

  async function readPath(path: string): Promise<SessionRecord | undefined> {
    try {
      return parseRecord(await readFile(path, 'utf8'));
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  async function lock(path: string): Promise<(() => Promise<void>) | undefined> {
    const lockPath = `${path}.lock`;
    for (let i = 0; i < LOCK_TRIES; i++) {
      try {
        await (await open(lockPath, 'wx')).close();
        return () => unlink(lockPath).catch(() => undefined);
      } catch (error) {
        if (!isCode(error, 'EEXIST')) throw error;
        const held = await stat(lockPath).catch(() => undefined);
        if (held && now().getTime() - held.mtimeMs > STALE_LOCK_MS) await rm(lockPath, { force: true });
        else await pause(LOCK_WAIT_MS);
      }
    }
    return undefined;
  }

  return {
    async read(key) {
      const path = pathOf(key);
      const record = await readPath(path);
      if (record && !live(record)) await rm(path, { force: true });
      return live(record);
    },
    async write(key, record, expected) {
      const path = pathOf(key);
      const release = await lock(path);
      if (!release) return false;
      try {
        if ((live(await readPath(path))?.version ?? 0) !== expected) return false;
        const temporary = `${path}.${randomUUID()}.tmp`;
        await writeFile(temporary, JSON.stringify({ key, ...record }));
        await rename(temporary, path);
        return true;
      } finally {
        await release();
      }
    },
  };
}

/** Removes session files not written for longer than the TTL (their records have expired). */
async function sweep(dir: string, before: number): Promise<void> {
  for (const name of await readdir(dir)) {
    if (!name.endsWith('.json')) continue;
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info && info.mtimeMs < before) await rm(path, { force: true });
  }
}
