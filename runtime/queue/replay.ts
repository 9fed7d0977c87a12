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

/** The smallest record list that replays to the same state (compaction), in time order (see QueueState). */
export function snapshot(state: QueueState): JournalRecord[] {
  const groups: Array<{ at: number; records: JournalRecord[] }> = [];
  // A key whose message the queue holds comes back with the message's own send record.
  for (const [key, holder] of state.keys) if (typeof holder === 'number') groups.push({ at: holder, records: [{ op: 'key', key, at: holder }] });
  for (const e of state.live.values()) {
    const records: JournalRecord[] = [{ op: 'send', id: e.id, at: e.sentAt, message: e.message }];
    if (e.receiveCount > 0) records.push({ op: 'receive', id: e.id, count: e.receiveCount, until: e.visibleAt });
    if (e.lastError !== undefined) records.push({ op: 'release', id: e.id, error: e.lastError, visibleAt: e.visibleAt });
    groups.push({ at: e.sentAt, records });
  }
  for (const e of state.dead.values()) {
    groups.push({ at: e.sentAt, records: [
      { op: 'send', id: e.id, at: e.sentAt, message: e.message },
      { op: 'receive', id: e.id, count: e.receiveCount, until: e.deadAt },
      { op: 'dead', id: e.id, at: e.deadAt, ...(e.lastError !== undefined ? { error: e.lastError } : {}) },
    ] });
  }
  // A stable sort keeps equal times in their map order.
  return groups.sort((a, b) => a.at - b.at).flatMap((g) => g.records);
}
