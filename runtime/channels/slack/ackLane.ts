/**
 * The lane the local server posts in-thread acknowledgements ("diving in") through, after the ingress has answered
 * Slack. Slack's 3-second deadline is on the HTTP answer; the courtesy message is what gives way under load:
 * - no post starts while the process is saturated (`saturated()`, by default the event loop's utilization): a
 *   burst of events is acknowledged to Slack at the ingress's own pace, and the posts follow once it has passed;
 * - at most `concurrency` posts are in flight and the rest wait in arrival order;
 * - a post still waiting when its question's processing starts is withdrawn (`withdraw`): the Delivery posts the
 *   status message itself, so the thread never gets two;
 * - beyond `maxWaiting` waiting posts the oldest is dropped (its question is queued all the same, and the
 *   Delivery's status message stands in for it).
 * Each submitted post's promise gives the posted message's ts, or undefined when it was withdrawn, dropped or
 * failed; it never rejects.
 */
export interface AckLaneOptions {
  concurrency: number;
  maxWaiting: number;
  /** Checked before each post starts; while true, posts wait and the check is repeated every `recheckMs`. */
  saturated?: () => boolean;
  recheckMs?: number;
}

interface Waiting {
  post: () => Promise<string | undefined>;
  settle: (ts: string | undefined) => void;
}

export class AckLane {
  private readonly waiting = new Map<string, Waiting>();
  private inFlight = 0;
  private recheck: NodeJS.Timeout | undefined;

  constructor(private readonly options: AckLaneOptions) {}

  submit(key: string, post: () => Promise<string | undefined>): Promise<string | undefined> {
    return new Promise((settle) => {
      this.waiting.get(key)?.settle(undefined);
      this.waiting.delete(key);
      this.waiting.set(key, { post, settle });
      if (this.waiting.size > this.options.maxWaiting) this.withdraw(this.waiting.keys().next().value as string);
      this.startNext();
    });
  }

  /** True when the post for `key` had not started and never will; false when it is in flight, done or unknown. */
  withdraw(key: string): boolean {
    const entry = this.waiting.get(key);
    if (!entry) return false;
    this.waiting.delete(key);
    entry.settle(undefined);
    return true;
  }

  get size(): { inFlight: number; waiting: number } {
    return { inFlight: this.inFlight, waiting: this.waiting.size };
  }

  private startNext(): void {
    if (this.waiting.size > 0 && this.options.saturated?.()) {
      this.recheck ??= setTimeout(() => {
        this.recheck = undefined;
        this.startNext();
      }, this.options.recheckMs ?? 50).unref();
      return;
    }
    while (this.inFlight < this.options.concurrency && this.waiting.size > 0) {
      const [key, entry] = this.waiting.entries().next().value as [string, Waiting];
      this.waiting.delete(key);
      this.inFlight += 1;
      entry.post().catch(() => undefined).then((ts) => {
        this.inFlight -= 1;
        entry.settle(ts);
        this.startNext();
      });
    }
  }
}
