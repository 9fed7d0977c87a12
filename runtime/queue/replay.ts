/**
 * Rebuilds the embedded queue's state from its journal records (pure). A message still in flight when the process
 * died becomes visible at once: the consumer that held it died with the process, so waiting out its visibility
 * timeout would only delay the answer. Receive counts survive, so a message that crashes the process every time
 * still reaches the dead-letter queue. Records come checked (journalRecordCheck.ts): a damaged one never gets here.
 */
import type { InboundMessage } from './inboundMessage.ts';

export type JournalRecord =
  | { op: 'send'; id: string; at: number; message: InboundMessage }
  | { op: 'receive'; id: string; count: number; until: number }
  | { op: 'ack'; id: string }
  | { op: 'release'; id: string; error: string; visibleAt: number }
  | { op: 'dead'; id: string; at: number; error?: string }
  /** Dedupe key of a message already acked (written by compaction so duplicates stay rejected). */
  | { op: 'key'; key: string; at: number };

export interface LiveEntry {
  id: string;
  message: InboundMessage;
  sentAt: number;
  receiveCount: number;
  visibleAt: number;
  receipt?: string;
  lastError?: string;
}

export interface DeadEntry {
  id: string;
  message: InboundMessage;
  sentAt: number;
  receiveCount: number;
  deadAt: number;
  lastError?: string;
}

/**
 * What a dedupe key stands for: the entry of its message while the queue holds it (so the message is found by its
 * key at once), then only the time it was first accepted (once acked; the key still rejects duplicates).
 */
export type KeyHolder = LiveEntry | DeadEntry | number;

export const keySentAt = (holder: KeyHolder): number => (typeof holder === 'number' ? holder : holder.sentAt);

/**
 * `live` and `keys` are kept in the order of their times (send order), which lets retention sweeps stop at the first
 * entry still within retention: `rememberKey` moves a re-accepted key to the end, and compaction writes its records
 * in time order.
 */
export interface QueueState {
  live: Map<string, LiveEntry>;
  dead: Map<string, DeadEntry>;
  /** dedupeKey -> its holder (`KeyHolder`); kept for the retention period. */
  keys: Map<string, KeyHolder>;
}

export function rememberKey(state: QueueState, key: string, holder: KeyHolder): void {
  state.keys.delete(key);
  state.keys.set(key, holder);
}

/** An entry has left the queue (acked) or moved (dead-lettered): its key now stands for `next`. */
export function handOverKey(state: QueueState, from: LiveEntry, next: KeyHolder): void {
  const key = from.message.dedupeKey;
  if (state.keys.get(key) === from) state.keys.set(key, next);
}

export const emptyState = (): QueueState => ({ live: new Map(), dead: new Map(), keys: new Map() });

export function replay(records: JournalRecord[], now: number): QueueState {
  const state = emptyState();
  for (const record of records) apply(state, record);
  for (const entry of state.live.values()) {
    entry.visibleAt = Math.min(entry.visibleAt, now);
    delete entry.receipt;
  }
  return state;
}

function apply(state: QueueState, record: JournalRecord): void {
  switch (record.op) {
    case 'send': {
      const entry: LiveEntry = { id: record.id, message: record.message, sentAt: record.at, receiveCount: 0, visibleAt: record.at };
      rememberKey(state, record.message.dedupeKey, entry);
      state.live.set(record.id, entry);
      return;
    }
    case 'receive': {
      const entry = state.live.get(record.id);
      if (entry) Object.assign(entry, { receiveCount: record.count, visibleAt: record.until });
      return;
    }
    case 'ack': {
      const entry = state.live.get(record.id);
      if (!entry) return;
      state.live.delete(record.id);
      handOverKey(state, entry, entry.sentAt);
      return;
    }
    case 'release': {
      const entry = state.live.get(record.id);
      if (entry) Object.assign(entry, { lastError: record.error, visibleAt: record.visibleAt });
      return;
    }
    case 'dead': {
      const entry = state.live.get(record.id);
      if (!entry) return;
      state.live.delete(record.id);
      const dead: DeadEntry = {
        id: entry.id, message: entry.message, sentAt: entry.sentAt, receiveCount: entry.receiveCount,
        deadAt: record.at, ...(record.error ?? entry.lastError ? { lastError: record.error ?? entry.lastError } : {}),
      };
      state.dead.set(record.id, dead);
      handOverKey(state, entry, dead);
      return;
    }
    case 'key':
      rememberKey(state, record.key, record.at);
      return;
  }
}

/**
 * The smallest record list that replays to the same state (compaction), in time order (see QueueState). Keys and
 * live messages are already in that order, so they are merged rather than sorted (a sort of a few hundred thousand
 * groups held up every append for a fifth of a second, issue 16); dead letters, in the order they died, are sorted.
 */
export function snapshot(state: QueueState): JournalRecord[] {
  const records: JournalRecord[] = [];
  const keys = state.keys.entries();
  const live = state.live.values();
  const dead = [...state.dead.values()].sort((a, b) => a.sentAt - b.sentAt);
  let key = nextAckedKey(keys);
  let entry = live.next();
  let d = 0;
  for (;;) {
    const keyAt = key ? key[1] : Infinity;
    const liveAt = entry.done ? Infinity : entry.value.sentAt;
    const deadAt = d < dead.length ? dead[d]!.sentAt : Infinity;
    // Equal times keep the old order: keys, then live, then dead.
    if (keyAt === Infinity && liveAt === Infinity && deadAt === Infinity) return records;
    if (keyAt <= liveAt && keyAt <= deadAt) {
      records.push({ op: 'key', key: key![0], at: keyAt });
      key = nextAckedKey(keys);
    } else if (liveAt <= deadAt) {
      pushLive(records, entry.value as LiveEntry);
      entry = live.next();
    } else {
      pushDead(records, dead[d]!);
      d += 1;
    }
  }
}

/** The next key whose message was acked (a key whose message the queue holds comes back with the message). */
function nextAckedKey(keys: IterableIterator<[string, KeyHolder]>): [string, number] | undefined {
  for (let next = keys.next(); !next.done; next = keys.next()) {
    const [key, holder] = next.value;
    if (typeof holder === 'number') return [key, holder];
  }
  return undefined;
}

function pushLive(records: JournalRecord[], e: LiveEntry): void {
  records.push({ op: 'send', id: e.id, at: e.sentAt, message: e.message });
  if (e.receiveCount > 0) records.push({ op: 'receive', id: e.id, count: e.receiveCount, until: e.visibleAt });
  if (e.lastError !== undefined) records.push({ op: 'release', id: e.id, error: e.lastError, visibleAt: e.visibleAt });
}

function pushDead(records: JournalRecord[], e: DeadEntry): void {
  records.push(
    { op: 'send', id: e.id, at: e.sentAt, message: e.message },
    { op: 'receive', id: e.id, count: e.receiveCount, until: e.deadAt },
    { op: 'dead', id: e.id, at: e.deadAt, ...(e.lastError !== undefined ? { error: e.lastError } : {}) },
  );
}
