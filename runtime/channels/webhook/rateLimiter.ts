/**
 * Per-caller token buckets (the channel's `rate_per_minute`): a caller may burst up to the minute's allowance and
 * then gets one request per 60/rate seconds. Callers are keyed by API key when one authenticated them, otherwise by
 * IP. The map is bounded so a flood of new addresses cannot grow memory without limit.
 */

export interface RateLimiter {
  /** `retryAfterSeconds` is set when the caller must wait. */
  take(caller: string): { allowed: true } | { allowed: false; retryAfterSeconds: number };
}

export function createRateLimiter(ratePerMinute: number, now: () => number = Date.now, maxCallers = 10_000): RateLimiter {
  const perMs = ratePerMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(caller) {
      const at = now();
      const bucket = buckets.get(caller) ?? { tokens: ratePerMinute, at };
      bucket.tokens = Math.min(ratePerMinute, bucket.tokens + (at - bucket.at) * perMs);
      bucket.at = at;
      buckets.delete(caller); // re-insert: Map order doubles as least-recently-used order
      buckets.set(caller, bucket);
      if (buckets.size > maxCallers) buckets.delete(buckets.keys().next().value as string);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000)) };
    },
  };
}
