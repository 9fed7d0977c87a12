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
 * `live` and `keys` are kept in the order of their times (send order), which lets retention sweeps stop at the first
 * entry still within retention: `rememberKey` moves a re-accepted key to the end, and compaction writes its records
 * in time order.
 */
export interface QueueState {
  live: Map<string, LiveEntry>;
  dead: Map<string, DeadEntry>;
  /** dedupeKey -> time first accepted; kept for the retention period. */
  keys: Map<string, number>;
}

export function rememberKey(state: QueueState, key: string, at: number): void {
  state.keys.delete(key);
  state.keys.set(key, at);
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
    case 'send':
      rememberKey(state, record.message.dedupeKey, record.at);
      state.live.set(record.id, {
        id: record.id, message: record.message, sentAt: record.at, receiveCount: 0, visibleAt: record.at,
      });
      return;
    case 'receive': {
      const entry = state.live.get(record.id);
      if (entry) Object.assign(entry, { receiveCount: record.count, visibleAt: record.until });
      return;
    }
    case 'ack':
      state.live.delete(record.id);
      return;
    case 'release': {
      const entry = state.live.get(record.id);
      if (entry) Object.assign(entry, { lastError: record.error, visibleAt: record.visibleAt });
      return;
    }
    case 'dead': {
      const entry = state.live.get(record.id);
      if (!entry) return;
      state.live.delete(record.id);
      state.dead.set(record.id, {
        id: entry.id, message: entry.message, sentAt: entry.sentAt, receiveCount: entry.receiveCount,
        deadAt: record.at, ...(record.error ?? entry.lastError ? { lastError: record.error ?? entry.lastError } : {}),
      });
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
  const liveKeys = new Set<string>();
  for (const e of state.live.values()) liveKeys.add(e.message.dedupeKey);
  for (const e of state.dead.values()) liveKeys.add(e.message.dedupeKey);
  for (const [key, at] of state.keys) if (!liveKeys.has(key)) groups.push({ at, records: [{ op: 'key', key, at }] });
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
