import { describe, expect, it } from 'vitest';
import { eventLoopSaturation } from '../../../runtime/channels/slack/eventLoopSaturation.ts';

const spin = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};
const idle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('eventLoopSaturation', () => {
  it('reports saturated after a window the loop spent busy, and not after an idle one', async () => {
    const saturated = eventLoopSaturation({ threshold: 0.9, windowMs: 50 });
    expect(saturated()).toBe(false);
    spin(80);
    expect(saturated()).toBe(true);
    await idle(80);
    expect(saturated()).toBe(false);
  });

  it('keeps its verdict until a whole window has passed', () => {
    const saturated = eventLoopSaturation({ threshold: 0.9, windowMs: 60_000 });
    spin(30);
    expect(saturated()).toBe(false);
  });
});
