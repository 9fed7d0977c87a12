/**
 * Rebuilds the embedded queue's state from its journal records (pure). A message still in flight when the process
 * died becomes visible at once: the consumer that held it died with the process, so waiting out its visibility
 * timeout would only delay the answer. Receive counts survive, so a message that crashes the process every time
 * still reaches the dead-letter queue. Records come checked (journalRecordCheck.ts): a damaged one never gets here.
 */
import type { InboundMessage } from './inboundMessage.ts';
import { LiveList } from './liveList.ts';

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
  /** Neighbours in `QueueState.live`. */
  prev: LiveEntry | undefined;
  next: LiveEntry | undefined;
}

export const liveEntry = (id: string, message: InboundMessage, sentAt: number): LiveEntry =>
  ({ id, message, sentAt, receiveCount: 0, visibleAt: sentAt, prev: undefined, next: undefined });

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
  live: LiveList<LiveEntry>;
  dead: Map<string, DeadEntry>;
  /** dedupeKey -> its holder (`KeyHolder`); kept for the retention period. */
  keys: Map<string, KeyHolder>;
}

export function rememberKey(state: QueueState, key: string, holder: KeyHolder): void {
  state.keys.delete(key);
  state.keys.set(key, holder);
}

/**
 * Puts an accepted message last, its key (new, or known from a message past the retention) standing for it. A message
 * still held under a key past the retention outlived it too, and leaves the queue now rather than at the next sweep,
 * as SQS would have dropped it; it is returned so its receipt can be forgotten.
 */
export function acceptUnderKey(state: QueueState, entry: LiveEntry, known: KeyHolder | undefined): LiveEntry | undefined {
  state.live.push(entry);
  if (known === undefined) {
    state.keys.set(entry.message.dedupeKey, entry); // new keys go last, as rememberKey puts them
    return undefined;
  }
  rememberKey(state, entry.message.dedupeKey, entry);
  if (typeof known !== 'object' || !('visibleAt' in known) || !state.live.has(known)) return undefined;
  state.live.remove(known);
  return known;
}

/** An entry has left the queue (acked) or moved (dead-lettered): its key now stands for `next`. */
export function handOverKey(state: QueueState, from: LiveEntry, next: KeyHolder): void {
  const key = from.message.dedupeKey;
  if (state.keys.get(key) === from) state.keys.set(key, next);
}

export const emptyState = (): QueueState => ({ live: new LiveList(), dead: new Map(), keys: new Map() });

export function replay(records: JournalRecord[], now: number): QueueState {
  const state = emptyState();
  // Records name messages by id; the index is needed only while they are read.
  const byId = new Map<string, LiveEntry>();
  for (const record of records) apply(state, byId, record);
  for (const entry of state.live) {
    entry.visibleAt = Math.min(entry.visibleAt, now);
    delete entry.receipt;
  }
  return state;
}

function apply(state: QueueState, byId: Map<string, LiveEntry>, record: JournalRecord): void {
  switch (record.op) {
    case 'send': {
      const entry = liveEntry(record.id, record.message, record.at);
      const dropped = acceptUnderKey(state, entry, state.keys.get(record.message.dedupeKey));
      if (dropped) byId.delete(dropped.id);
      byId.set(record.id, entry);
      return;
    }
    case 'receive': {
      const entry = byId.get(record.id);
      if (entry) Object.assign(entry, { receiveCount: record.count, visibleAt: record.until });
      return;
    }
    case 'ack': {
      const entry = byId.get(record.id);
      if (!entry) return;
      byId.delete(record.id);
      state.live.remove(entry);
      handOverKey(state, entry, entry.sentAt);
      return;
    }
    case 'release': {
      const entry = byId.get(record.id);
      if (entry) Object.assign(entry, { lastError: record.error, visibleAt: record.visibleAt });
      return;
    }
    case 'dead': {
      const entry = byId.get(record.id);
      if (!entry) return;
      byId.delete(record.id);
      state.live.remove(entry);
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
  const live = state.live[Symbol.iterator]();
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
