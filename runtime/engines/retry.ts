/**
 * Retries of transient Bedrock failures, shared by the Bedrock Agents and Converse engines (the SDK clients run
 * with `maxAttempts: 1`, so this is the one retry policy): exponential backoff with full jitter (runtime/backoff.ts),
 * a bounded number of attempts, never a wait that would outlast the request's deadline, and an injectable sleep and
 * random source so tests run without waiting. Only failures that can pass on their own are retried (the TRANSIENT
 * table); anything else surfaces at once.
 */
import { fullJitterMs } from '../backoff.ts';

export interface RetryPolicy {
  /** Total attempts including the first; at least 1. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** 0 <= random() < 1. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  sleep: abortableSleep,
  random: Math.random,
};

/** What a failure is, when it may pass on its own: Bedrock's "slow down", or its "try again". */
export type TransientKind = 'throttled' | 'unavailable';

/** Error names (SDK exception classes, stream exception members) that may pass on their own. */
const TRANSIENT_NAMES: Record<string, TransientKind> = {
  ThrottlingException: 'throttled',
  ServiceQuotaExceededException: 'throttled',
  TooManyRequestsException: 'throttled',
  ServiceUnavailableException: 'unavailable',
  InternalServerException: 'unavailable',
  ModelNotReadyException: 'unavailable',
};

/** Socket-level failures Node reports by `code` (a reset or timed-out connection, not an answer from Bedrock). */
const TRANSIENT_CODES = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

/** HTTP statuses the SDK surfaces without a modelled exception. */
const TRANSIENT_STATUS: Record<number, TransientKind> = { 429: 'throttled', 500: 'unavailable', 502: 'unavailable', 503: 'unavailable', 504: 'unavailable' };

export function transientKind(error: unknown): TransientKind | undefined {
  const e = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: number } } | null | undefined;
  const byName = TRANSIENT_NAMES[String(e?.name)];
  if (byName) return byName;
  if (TRANSIENT_CODES.has(String(e?.code))) return 'unavailable';
  const status = e?.$metadata?.httpStatusCode;
  return status === undefined ? undefined : TRANSIENT_STATUS[status];
}

export const isThrottling = (error: unknown): boolean => transientKind(error) === 'throttled';

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A transient failure that outlived the retries (or the time left for them); `cause` is the last failure. */
export class RetriesExhausted extends Error {
  override readonly name = 'RetriesExhausted';
  constructor(readonly kind: TransientKind, readonly attempts: number, options: { cause: unknown }) {
    super(`still ${kind} after ${attempts} attempts`, options);
  }
}

/** Where a retry must stop: the request's signal, and how much of its time is left. */
export interface RetryScope {
  signal?: AbortSignal;
  remainingMs?: () => number;
}

/** After failed attempt `n` (from 0): rethrows what is not retryable, else waits the backoff delay. */
async function afterFailure(error: unknown, n: number, policy: RetryPolicy, scope: RetryScope): Promise<void> {
  const kind = transientKind(error);
  if (!kind || scope.signal?.aborted) throw error;
  const delay = fullJitterMs(n, { baseMs: policy.baseDelayMs, capMs: policy.maxDelayMs }, policy.random);
  // A wait the deadline would cut short only turns a clear failure into a timeout.
  if (n + 1 >= policy.attempts || delay >= (scope.remainingMs?.() ?? Infinity)) {
    throw new RetriesExhausted(kind, n + 1, { cause: error });
  }
  await policy.sleep(delay, scope.signal);
}

/**
 * Runs `attempt` until it succeeds or fails with something not transient; transient failures are retried up to
 * `policy.attempts` in total, then a RetriesExhausted carrying the last cause is thrown.
 */
export async function retryTransient<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy, scope: RetryScope = {}): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      await afterFailure(error, n, policy, scope);
    }
  }
}

/**
 * The streaming form. Items of a failed attempt that were already yielded stay yielded (they happened), and the
 * next attempt starts a fresh stream — unless `ranSideEffect` says an item of the failed attempt did something
 * that must not happen twice: then the failure surfaces as it is.
 */
export async function* retryTransientStream<T>(
  attempt: (n: number) => AsyncIterable<T>, policy: RetryPolicy, scope: RetryScope & { ranSideEffect?: (item: T) => boolean } = {},
): AsyncGenerator<T> {
  for (let n = 0; ; n++) {
    let sideEffect = false;
    try {
      for await (const item of attempt(n)) {
        sideEffect ||= scope.ranSideEffect?.(item) ?? false;
        yield item;
      }
      return;
    } catch (error) {
      if (sideEffect) throw error;
      await afterFailure(error, n, policy, scope);
    }
  }
}
