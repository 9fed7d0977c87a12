/**
 * The conversation store's contract, one suite for every backend: what a turn looks like when read back, the
 * bounds, redaction, blank turns, expiry, and concurrent appends to one session losing nothing.
 */
import { describe, expect, it } from 'vitest';
import { createSessionStore, MAX_TEXT_CHARS, MAX_TURNS, type SessionBackend, type StoredTurn } from '../../runtime/sessions/sessionStore.ts';

export interface BackendUnderTest {
  /** A fresh, empty backend, and a second handle on the same storage (another process, another container). */
  open(now: () => Date): Promise<{ backend: SessionBackend; twin: () => Promise<SessionBackend> }>;
}

const turn = (n: number, extra: Partial<StoredTurn> = {}): StoredTurn =>
  ({ at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(), user: `question ${n}`, assistant: `answer ${n}`, ...extra });

export function describeSessionStoreContract(name: string, subject: BackendUnderTest): void {
  describe(`session store contract: ${name}`, () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const now = (): Date => clock;
    const open = async (ttlSeconds = 600) => {
      clock = new Date('2026-01-01T00:00:00Z');
      const { backend, twin } = await subject.open(now);
      return { store: createSessionStore(backend, { ttlSeconds, now }), twin: async () => createSessionStore(await twin(), { ttlSeconds, now }) };
    };

    it('reads back the turns appended, oldest first, with what the engine resolved', async () => {
      const { store, twin } = await open();
      await store.append('cli:s1', turn(1, { agent: 'deal_analysis', skill: 'deal_status', entities: { 'opportunities.account_name': 'IXIS' } }));
      await store.append('cli:s1', turn(2));
      const other = await twin();
      const turns = await other.turns('cli:s1');
      expect(turns.map((t) => t.user)).toEqual(['question 1', 'question 2']);
      expect(turns[0]).toMatchObject({ agent: 'deal_analysis', skill: 'deal_status', entities: { 'opportunities.account_name': 'IXIS' } });
      expect(await other.turns('cli:s2')).toEqual([]);
    });

    it('keeps the last turns and cuts long texts', async () => {
      const { store } = await open();
      for (let i = 0; i < MAX_TURNS + 3; i++) await store.append('k', turn(i, i === MAX_TURNS + 2 ? { assistant: 'x'.repeat(MAX_TEXT_CHARS * 2) } : {}));
      const turns = await store.turns('k');
      expect(turns).toHaveLength(MAX_TURNS);
      expect(turns[0]!.user).toBe('question 3');
      expect(turns.at(-1)!.assistant.length).toBe(MAX_TEXT_CHARS);
    });

    it('never stores a secret or a blank turn', async () => {
      const { store } = await open();
      // Built from parts, as in the exporter's test, so no token-shaped literal sits in the repository.
      const slackToken = ['xoxb', '1234567890', 'abcdefghij'].join('-');
      await store.append('k', turn(1, { user: `post with token ${slackToken} please` }));
      await store.append('k', turn(2, { assistant: '   ' }));
      await store.append('k', turn(3, { user: '' }));
      const turns = await store.turns('k');
      expect(turns).toHaveLength(1);
      expect(turns[0]!.user).not.toContain(slackToken);
      expect(turns[0]!.user).toContain('[REDACTED]');
    });

    it('forgets a session after its TTL and starts it again', async () => {
      const { store } = await open(60);
      await store.append('k', turn(1));
      clock = new Date(clock.getTime() + 61_000);
      expect(await store.turns('k')).toEqual([]);
      await store.append('k', turn(2));
      expect((await store.turns('k')).map((t) => t.user)).toEqual(['question 2']);
    });

    it('loses no turn when two writers append to one session at once', async () => {
      const { store, twin } = await open();
      const other = await twin();
      await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? store : other).append('slack:T1:C1:1.2', turn(i))));
      const users = (await store.turns('slack:T1:C1:1.2')).map((t) => t.user).sort();
      expect(users).toEqual(Array.from({ length: 12 }, (_, i) => `question ${i}`).sort());
    });

    it('refuses a write whose expected version is stale', async () => {
      const { backend } = await subject.open(now);
      const record = { version: 1, turns: [turn(1)], expiresAt: Math.floor(clock.getTime() / 1000) + 600 };
      expect(await backend.write('k', record, 0)).toBe(true);
      expect(await backend.write('k', { ...record, version: 2 }, 0)).toBe(false);
      expect(await backend.write('k', { ...record, version: 2 }, 1)).toBe(true);
      expect((await backend.read('k'))?.version).toBe(2);
    });
  });
}
