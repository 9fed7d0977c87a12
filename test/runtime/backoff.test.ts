/** runtime/backoff.ts: the one full-jitter curve (issue 12). */
import { describe, expect, it } from 'vitest';
import { fullJitterMs } from '../../runtime/backoff.ts';

const curve = { baseMs: 100, capMs: 1000 };

describe('fullJitterMs', () => {
  it.each([[0, 99], [1, 199], [3, 799], [4, 999], [10, 999]])('retry %i waits at most %i ms (doubling, capped)', (retry, max) => {
    expect(fullJitterMs(retry, curve, () => 0.999)).toBe(max);
    expect(fullJitterMs(retry, curve, () => 0)).toBe(0);
  });

  it('draws uniformly below the ceiling, in whole milliseconds', () => {
    expect(fullJitterMs(2, curve, () => 0.5)).toBe(200);
    expect(fullJitterMs(2, curve, () => 0.3337)).toBe(133);
  });

  it('treats a negative retry as the first', () => {
    expect(fullJitterMs(-1, curve, () => 0.999)).toBe(99);
  });

  it('stays within [0, ceiling] for the random source it is given', () => {
    for (let i = 0; i < 200; i += 1) {
      const delay = fullJitterMs(i % 8, curve);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(Math.min(1000, 100 * 2 ** (i % 8)));
    }
  });
});
