import { describe, expect, it, vi } from 'vitest';
import { abortableSleep, backoffDelayMs, isThrottling, retryThrottled, ThrottledError, type RetryPolicy } from '../../runtime/engines/retry.ts';

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy =>
  ({ attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, sleep: vi.fn(async () => {}), random: () => 0.999, ...over });
const throttle = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });

describe('backoff with full jitter', () => {
  it.each([[0, 99], [1, 199], [3, 799], [4, 999], [10, 999]])('retry %i waits at most %i ms (capped)', (retry, max) => {
    expect(backoffDelayMs(retry, policy())).toBe(max);
    expect(backoffDelayMs(retry, policy({ random: () => 0 }))).toBe(0);
  });
});

describe('what counts as throttling', () => {
  it.each([
    [{ name: 'ThrottlingException' }, true], [{ name: 'ServiceQuotaExceededException' }, true],
    [{ name: 'Error', $metadata: { httpStatusCode: 429 } }, true], [{ name: 'AccessDeniedException' }, false], [undefined, false],
  ])('%j -> %s', (error, expected) => expect(isThrottling(error)).toBe(expected));
});

describe('retryThrottled', () => {
  it('retries throttling until it succeeds, sleeping between attempts', async () => {
    const p = policy();
    const attempt = vi.fn().mockRejectedValueOnce(throttle).mockRejectedValueOnce(throttle).mockResolvedValueOnce('ok');
    await expect(retryThrottled(attempt, p)).resolves.toBe('ok');
    expect(p.sleep).toHaveBeenCalledTimes(2);
  });

  it('gives up after the attempts with the last cause kept', async () => {
    const attempt = vi.fn().mockRejectedValue(throttle);
    const error = await retryThrottled(attempt, policy()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThrottledError);
    expect((error as ThrottledError).cause).toBe(throttle);
    expect(attempt).toHaveBeenCalledTimes(4);
  });

  it('rethrows anything else at once', async () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    const attempt = vi.fn().mockRejectedValue(denied);
    await expect(retryThrottled(attempt, policy())).rejects.toBe(denied);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = abortableSleep(60_000, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
  });
});
