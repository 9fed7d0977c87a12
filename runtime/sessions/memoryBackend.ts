/**
 * Sessions in this process's memory: for tests, benches and an engine built without a store. Bounded by session
 * count, the least recently used forgotten first, so a long-running process does not grow without limit.
 */
import type { SessionBackend, SessionRecord } from './sessionStore.ts';

export function createMemorySessionBackend(options: { maxSessions?: number; now?: () => Date } = {}): SessionBackend {
  const maxSessions = options.maxSessions ?? 1000;
  const now = options.now ?? (() => new Date());
  const records = new Map<string, SessionRecord>();
  return {
    async read(key) {
      const record = records.get(key);
      if (!record) return undefined;
      records.delete(key);
      if (record.expiresAt * 1000 <= now().getTime()) return undefined;
      records.set(key, record);
      return structuredClone(record);
    },
    async write(key, record, expected) {
      const stored = records.get(key);
      const live = stored && stored.expiresAt * 1000 > now().getTime() ? stored.version : 0;
      if (live !== expected) return false;
      records.delete(key);
      records.set(key, structuredClone(record));
      if (records.size > maxSessions) records.delete(records.keys().next().value!);
      return true;
    },
  };
}
