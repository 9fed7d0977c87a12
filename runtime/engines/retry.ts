/**
 * Throttling retries shared by the Bedrock Agents and Converse engines: exponential backoff with full jitter
 * (a random delay in [0, min(cap, base * 2^n)], the AWS Architecture Blog's recommended scheme, which spreads
 * retries of concurrent requests instead of synchronising them), a bounded number of attempts, and an injectable
 * sleep and random source so tests run without waiting. Only throttling is retried: any other failure is not
 * going to change on its own and surfaces at once.
 */

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

/** Error names the Bedrock runtimes use for "slow down"; 429 covers throttles surfaced only as an HTTP status. */
const THROTTLING_NAMES = new Set(['ThrottlingException', 'ServiceQuotaExceededException', 'TooManyRequestsException']);

export function isThrottling(error: unknown): boolean {
  const e = error as { name?: unknown; $metadata?: { httpStatusCode?: number } } | null | undefined;
  return THROTTLING_NAMES.has(String(e?.name)) || e?.$metadata?.httpStatusCode === 429;
}

/** Full jitter: uniform in [0, min(maxDelayMs, baseDelayMs * 2^retry)], retry counted from 0. */
export function backoffDelayMs(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.floor(policy.random() * ceiling);
}

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

export class ThrottledError extends Error {
  override readonly name = 'ThrottledError';
  constructor(readonly attempts: number, options: { cause: unknown }) {
    super(`still throttled after ${attempts} attempts`, options);
  }
}

/** After failed attempt `n` (from 0): rethrows what is not retryable, else waits the backoff delay. */
async function afterFailure(error: unknown, n: number, policy: RetryPolicy, signal?: AbortSignal): Promise<void> {
  if (!isThrottling(error)) throw error;
  if (n + 1 >= policy.attempts) throw new ThrottledError(n + 1, { cause: error });
  await policy.sleep(backoffDelayMs(n, policy), signal);
}

/**
 * Runs `attempt` until it succeeds or fails with something other than throttling; throttling is retried up to
 * `policy.attempts` in total, then a ThrottledError carrying the last cause is thrown.
 */
export async function retryThrottled<T>(attempt: (n: number) => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      await afterFailure(error, n, policy, signal);
    }
  }
}

/**
 * The streaming form: items of a throttled attempt that were already yielded stay yielded (they happened: a tool
 * may have run), and the next attempt starts a fresh stream.
 */
export async function* retryThrottledStream<T>(attempt: (n: number) => AsyncIterable<T>, policy: RetryPolicy, signal?: AbortSignal): AsyncGenerator<T> {
  for (let n = 0; ; n++) {
    try {
      yield* attempt(n);
      return;
    } catch (error) {
      await afterFailure(error, n, policy, signal);
    }
  }
}
