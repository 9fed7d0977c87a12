/**
 * Where the processor learns the ts of the acknowledgement message when the ingress posted it after enqueueing.
 *
 * Locally the ingress makes the message durable, answers Slack's HTTP request, and only then posts the "diving in"
 * message in the background — so the queued message cannot carry its ts. The ingress registers the pending post
 * here under the message's dedupeKey; the Delivery (same process) awaits it before its first edit. A process that
 * restarted in between finds nothing here, and the Delivery posts a fresh status message instead. On Lambda
 * (`postAckInBackground: false`) the ack is posted before enqueueing and its ts travels in `slack.ackTs`, so this
 * registry is not needed there.
 */
interface PendingAck {
  ts: Promise<string | undefined>;
  /** Stops a post that has not started (AckLane.withdraw); true when it will never be made. */
  withdraw?: () => boolean;
}

export class AckRegistry {
  private readonly pending = new Map<string, PendingAck>();
  /** Entries leave on delivery; the cap only guards against a delivery that never comes (about 100 bytes each). */
  constructor(private readonly capacity = 100_000) {}

  register(dedupeKey: string, ackTs: Promise<string | undefined>, withdraw?: () => boolean): void {
    this.pending.set(dedupeKey, { ts: ackTs, ...(withdraw ? { withdraw } : {}) });
    if (this.pending.size > this.capacity) {
      const oldest = this.pending.keys().next();
      if (!oldest.done) this.pending.delete(oldest.value);
    }
  }

  /**
   * The ack's ts; undefined when it was never registered here, its post failed, or it had not started yet — then it
   * is withdrawn, and the caller posts its own status message instead of waiting behind a backlog of acks.
   */
  async lookup(dedupeKey: string): Promise<string | undefined> {
    const entry = this.pending.get(dedupeKey);
    entry?.withdraw?.();
    return entry?.ts;
  }

  forget(dedupeKey: string): void {
    this.pending.delete(dedupeKey);
  }
}

/** The process-wide registry both factories use unless given one (the local server runs both in one process). */
export const processAckRegistry = new AckRegistry();
