/**
 * A bounded set of recently accepted event ids: the in-memory fast path that answers Slack's retries
 * (`X-Slack-Retry-Num`) without touching Bolt or the queue. The queue's own dedupe stays the authority (it survives
 * restarts and spans processes); this only saves work. Oldest ids are forgotten first (Map keeps insertion order).
 */
export class RecentKeys {
  private readonly keys = new Map<string, true>();
  constructor(private readonly capacity = 10_000) {}

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    this.keys.delete(key);
    this.keys.set(key, true);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.keys().next();
      if (!oldest.done) this.keys.delete(oldest.value);
    }
  }
}
