/**
 * Exponential backoff with full jitter, the one curve the runtime's retries wait by (Bedrock calls, queue
 * redelivery, webhook result deliveries, outbound notifications): a delay drawn uniformly from
 * [0, min(cap, base * 2^retry)], which spreads the retries of concurrent requests instead of synchronising them
 * (AWS Architecture Blog, "Exponential Backoff And Jitter"). Pure: the random source is a parameter.
 */
export interface BackoffCurve {
  baseMs: number;
  capMs: number;
}

/** Whole milliseconds; `retry` counts from 0 (the wait before the first retry). 0 <= random() < 1. */
export function fullJitterMs(retry: number, curve: BackoffCurve, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(curve.capMs, curve.baseMs * 2 ** Math.max(0, retry)));
}
