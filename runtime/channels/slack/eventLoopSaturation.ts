/**
 * Whether this process's event loop is saturated: busy more than `threshold` of the time over the last window of
 * at least `windowMs` (perf_hooks event loop utilization, sampled when asked, so an idle process does no work).
 * `clock` is the process's own by default; tests pass one they drive, since a loaded machine stretches real time.
 */
import { type EventLoopUtilization, performance } from 'node:perf_hooks';

export interface LoopClock {
  now(): number;
  /** Utilization since `earlier`, or the running total when called without it (perf_hooks' contract). */
  utilization(current?: EventLoopUtilization, earlier?: EventLoopUtilization): EventLoopUtilization;
}

const processClock: LoopClock = {
  now: () => performance.now(),
  utilization: (current, earlier) => performance.eventLoopUtilization(current, earlier),
};

export function eventLoopSaturation(options: { threshold?: number; windowMs?: number; clock?: LoopClock } = {}): () => boolean {
  const threshold = options.threshold ?? 0.9;
  const windowMs = options.windowMs ?? 100;
  const clock = options.clock ?? processClock;
  let sample = clock.utilization();
  let sampledAt = clock.now();
  let saturated = false;
  return () => {
    const at = clock.now();
    if (at - sampledAt >= windowMs) {
      const current = clock.utilization();
      saturated = clock.utilization(current, sample).utilization > threshold;
      sample = current;
      sampledAt = at;
    }
    return saturated;
  };
}
