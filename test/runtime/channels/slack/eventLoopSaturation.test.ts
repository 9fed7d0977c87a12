import type { EventLoopUtilization } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { eventLoopSaturation, type LoopClock } from '../../../../runtime/channels/slack/eventLoopSaturation.ts';

/** A loop whose time and busy time the test advances, as perf_hooks would report them. */
function drivenLoop() {
  let now = 0;
  let active = 0;
  const total = (): EventLoopUtilization => ({ idle: now - active, active, utilization: now ? active / now : 0 });
  const clock: LoopClock = {
    now: () => now,
    utilization: (current, earlier) => {
      if (!current || !earlier) return total();
      const elapsed = current.idle + current.active - (earlier.idle + earlier.active);
      const busy = current.active - earlier.active;
      return { idle: elapsed - busy, active: busy, utilization: elapsed ? busy / elapsed : 0 };
    },
  };
  return { clock, busy: (ms: number) => { now += ms; active += ms; }, idle: (ms: number) => { now += ms; } };
}

describe('eventLoopSaturation', () => {
  it('reports saturated after a window the loop spent busy, and not after an idle one', () => {
    const loop = drivenLoop();
    const saturated = eventLoopSaturation({ threshold: 0.9, windowMs: 50, clock: loop.clock });
    expect(saturated()).toBe(false);
    loop.busy(80);
    expect(saturated()).toBe(true);
    loop.idle(80);
    expect(saturated()).toBe(false);
    loop.busy(45);
    loop.idle(10); // 82% busy: under the threshold
    expect(saturated()).toBe(false);
  });

  it('keeps its verdict until a whole window has passed', () => {
    const loop = drivenLoop();
    const saturated = eventLoopSaturation({ threshold: 0.9, windowMs: 60_000, clock: loop.clock });
    loop.busy(30);
    expect(saturated()).toBe(false);
  });

  it('reads the real event loop by default', async () => {
    const saturated = eventLoopSaturation({ threshold: 0.9, windowMs: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(typeof saturated()).toBe('boolean');
  });
});
