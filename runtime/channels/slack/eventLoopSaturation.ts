/**
 * Whether this process's event loop is saturated: busy more than `threshold` of the time over the last window of
 * at least `windowMs` (perf_hooks event loop utilization, sampled when asked, so an idle process does no work).
 */
import { performance } from 'node:perf_hooks';

export function eventLoopSaturation(options: { threshold?: number; windowMs?: number } = {}): () => boolean {
  const threshold = options.threshold ?? 0.9;
  const windowMs = options.windowMs ?? 100;
  let sample = performance.eventLoopUtilization();
  let sampledAt = performance.now();
  let saturated = false;
  return () => {
    const at = performance.now();
    if (at - sampledAt >= windowMs) {
      const current = performance.eventLoopUtilization();
      saturated = performance.eventLoopUtilization(current, sample).utilization > threshold;
      sample = current;
      sampledAt = at;
    }
    return saturated;
  };
}
