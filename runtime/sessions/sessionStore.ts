/**
 * The conversation store: one place every engine with its own memory (offline, converse) keeps a session's turns,
 * so a follow-up ("and what are its risks?") continues the conversation in another process, after a restart or on
 * another Lambda container. Keyed by the session key (`processing/sessionKey.ts`; the CLI's are `cli:<id>`).
 * Bedrock Agents keeps its own session by id and does not use it.
 *
 * Backends only read a record and write one conditionally (`SessionBackend`); the rules live here once:
 * - optimistic concurrency: a write names the version it read; when another writer got there first the turn is
 *   appended to the fresher record and written again (after a short jittered pause), so two messages in one
 *   thread never lose a turn;
 * - bounds: the last `MAX_TURNS` turns, each text cut to `MAX_TEXT_CHARS` (a session stays far below DynamoDB's
 *   400 KB item limit: 20 turns x 2 texts x 4,000 characters);
 * - secrets are redacted (`runtime/redact.ts`) before anything is stored, and a turn with blank text is never
 *   stored (Bedrock rejects blank messages in a history);
 * - a session expires `ttlSeconds` after its last turn.
 */
import { fullJitterMs, type BackoffCurve } from '../backoff.ts';
import { CodedError } from '../../compiler/codedError.ts';
import { redact, type Redaction } from '../redact.ts';

export const MAX_TURNS = 20;
export const MAX_TEXT_CHARS = 4000;
/** Writers racing on one session (messages of one thread): each lost round lets one through, jitter spreads them. */
const MAX_ATTEMPTS = 16;
const pause = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));
const BETWEEN_ROUNDS: BackoffCurve = { baseMs: 1, capMs: 50 };

/** One question and its answer, with what the engine resolved (the offline engine reuses it in follow-ups). */
export interface StoredTurn {
  at: string;
  user: string;
  assistant: string;
  /** The agent that answered (a collaborator when the supervisor delegated). */
  agent?: string;
  skill?: string;
  /** `table.column` -> value bound to a parameter, carried over from earlier turns. */
  entities?: Record<string, string>;
  dates?: { start: string; end: string };
}

export interface SessionRecord {
  /** 1 for the first write, +1 for each later one. */
  version: number;
  turns: StoredTurn[];
  /** Epoch seconds after which the record is gone (DynamoDB's TTL attribute). */
  expiresAt: number;
}

export interface SessionBackend {
  /** The record, or undefined when there is none or it has expired. */
  read(key: string): Promise<SessionRecord | undefined>;
  /** Writes `record` only when the stored version is still `expected` (0: no record); false when another write won. */
  write(key: string, record: SessionRecord, expected: number): Promise<boolean>;
}

export interface SessionStore {
  /** The session's turns, oldest first; empty for a new or expired session. */
  turns(key: string): Promise<StoredTurn[]>;
  /** Appends one turn (bounded, redacted); a turn whose question or answer is blank is not stored. */
  append(key: string, turn: StoredTurn): Promise<void>;
}

/** Every attempt lost to another writer: the turn is not stored, and the caller hears so. */
export class SessionConflictError extends CodedError<'session_conflict'> {
  override readonly name = 'SessionConflictError';
}

export interface SessionStoreOptions {
  ttlSeconds: number;
  now?: () => Date;
  /** Default: token shapes and secret-named keys; the process's own secrets need `redaction(configuredSecrets(env))`. */
  redaction?: Redaction;
}

const cut = (text: string): string => (text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS - 1)}…` : text);

function boundedTurn(turn: StoredTurn, redacted: Redaction['redact']): StoredTurn {
  const clean = redacted(turn);
  return { ...clean, user: cut(clean.user.trim()), assistant: cut(clean.assistant.trim()) };
}

export function createSessionStore(backend: SessionBackend, options: SessionStoreOptions): SessionStore {
  const now = options.now ?? (() => new Date());
  const redacted = options.redaction?.redact ?? redact;
  return {
    async turns(key) {
      return (await backend.read(key))?.turns ?? [];
    },
    async append(key, turn) {
      if (!turn.user.trim() || !turn.assistant.trim()) return;
      const stored = boundedTurn(turn, redacted);
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        if (attempt > 0) await pause(fullJitterMs(attempt, BETWEEN_ROUNDS));
        const current = await backend.read(key);
        const expected = current?.version ?? 0;
        const record: SessionRecord = {
          version: expected + 1,
          turns: [...(current?.turns ?? []), stored].slice(-MAX_TURNS),
          expiresAt: Math.floor(now().getTime() / 1000) + options.ttlSeconds,
        };
        if (await backend.write(key, record, expected)) return;
      }
      throw new SessionConflictError('session_conflict', `session ${key}: ${MAX_ATTEMPTS} writes in a row lost to other writers; the turn was not stored`);
    },
  };
}

/** The last turn that ran a skill: what the offline engine's follow-ups continue from. */
export function lastSkillTurn(turns: readonly StoredTurn[]): StoredTurn | undefined {
  for (let i = turns.length - 1; i >= 0; i--) if (turns[i]!.skill !== undefined) return turns[i];
  return undefined;
}
