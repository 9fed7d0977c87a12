/**
 * One request's time limit for the model engines: the caller's signal (the processor's, sized to what is left of
 * its Lambda) combined with the engine's own budget (`REVOPS_ENGINE_TIMEOUT_SECONDS`, default 240 s: under the
 * Slack processor's 300 s so an apology can still be delivered; the seed's client outlived its Lambda).
 */

export const DEFAULT_ENGINE_TIMEOUT_MS = 240_000;

export function engineTimeoutMs(env: Record<string, string | undefined>): number {
  const raw = env.REVOPS_ENGINE_TIMEOUT_SECONDS?.trim();
  if (!raw) return DEFAULT_ENGINE_TIMEOUT_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new RangeError(`REVOPS_ENGINE_TIMEOUT_SECONDS must be a positive number of seconds; got "${raw}"`);
  }
  return seconds * 1000;
}

/** A setting read from the environment, or the RangeError's message when the value is unusable. */
export function settingOrProblem<T>(read: () => T): T | string {
  try {
    return read();
  } catch (error) {
    if (error instanceof RangeError) return error.message;
    throw error;
  }
}

export interface Deadline {
  signal: AbortSignal;
  /** True when the engine's own budget ran out (not the caller's signal). */
  readonly budgetSpent: boolean;
  /** Milliseconds left of the engine's own budget (the caller's signal may end sooner). */
  remainingMs(): number;
  /** Stops the budget timer once the request is over. */
  dispose(): void;
}

export function startDeadline(timeoutMs: number, caller?: AbortSignal): Deadline {
  const budget = new AbortController();
  const endsAt = performance.now() + timeoutMs;
  const timer = setTimeout(() => budget.abort(new DOMException(`time budget of ${timeoutMs} ms spent`, 'TimeoutError')), timeoutMs);
  const signal = caller ? AbortSignal.any([caller, budget.signal]) : budget.signal;
  return {
    signal,
    get budgetSpent() { return budget.signal.aborted; },
    remainingMs: () => Math.max(0, endsAt - performance.now()),
    dispose: () => clearTimeout(timer),
  };
}

/**
 * Iterates `source` but gives up as soon as `signal` aborts, even while a read is pending: a stalled response
 * stream must not hold the request past its deadline.
 */
export async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {}); // observed below; this only silences the rejection when nothing is pending
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Do not await: a stalled source would never settle its return().
    void iterator.return?.()?.catch(() => {});
  }
}

/** Settles like `promise`, or rejects with the signal's reason as soon as it aborts. */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([promise, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
