import { describe, expect, it, vi } from 'vitest';
import {
  abortableSleep, isThrottling, RetriesExhausted, retryTransient, retryTransientStream, transientKind, type RetryPolicy,
} from '../../runtime/engines/retry.ts';

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy =>
  ({ attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, sleep: vi.fn(async () => {}), random: () => 0.999, ...over });
const throttle = Object.assign(new Error('slow down'), { name: 'ThrottlingException' });

describe('what counts as transient', () => {
  it.each([
    [{ name: 'ServiceUnavailableException' }, 'unavailable'], [{ name: 'InternalServerException' }, 'unavailable'],
    [{ name: 'ModelNotReadyException' }, 'unavailable'], [{ name: 'ThrottlingException' }, 'throttled'],
    [{ name: 'Error', code: 'ECONNRESET' }, 'unavailable'], [{ name: 'Error', code: 'ETIMEDOUT' }, 'unavailable'],
    [{ name: 'Error', $metadata: { httpStatusCode: 503 } }, 'unavailable'],
    [{ name: 'ValidationException', $metadata: { httpStatusCode: 400 } }, undefined], [{ name: 'AccessDeniedException' }, undefined],
  ])('%j -> %s', (error, expected) => expect(transientKind(error)).toBe(expected));
});

describe('what counts as throttling', () => {
  it.each([
    [{ name: 'ThrottlingException' }, true], [{ name: 'ServiceQuotaExceededException' }, true],
    [{ name: 'Error', $metadata: { httpStatusCode: 429 } }, true], [{ name: 'AccessDeniedException' }, false], [undefined, false],
  ])('%j -> %s', (error, expected) => expect(isThrottling(error)).toBe(expected));
});

describe('retryTransient', () => {
  it('retries throttling until it succeeds, sleeping between attempts', async () => {
    const p = policy();
    const attempt = vi.fn().mockRejectedValueOnce(throttle).mockRejectedValueOnce(throttle).mockResolvedValueOnce('ok');
    await expect(retryTransient(attempt, p)).resolves.toBe('ok');
    expect(p.sleep).toHaveBeenCalledTimes(2);
  });

  it("waits the policy's full-jitter delay before each retry (runtime/backoff.ts)", async () => {
    const p = policy();
    const attempt = vi.fn().mockRejectedValueOnce(throttle).mockRejectedValueOnce(throttle).mockResolvedValueOnce('ok');
    await retryTransient(attempt, p);
    expect(vi.mocked(p.sleep).mock.calls.map(([ms]) => ms)).toEqual([99, 199]);
  });

  it('gives up after the attempts with the last cause kept', async () => {
    const attempt = vi.fn().mockRejectedValue(throttle);
    const error = await retryTransient(attempt, policy()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect((error as RetriesExhausted).cause).toBe(throttle);
    expect((error as RetriesExhausted).kind).toBe('throttled');
    expect(attempt).toHaveBeenCalledTimes(4);
  });

  it('rethrows anything else at once', async () => {
    const denied = Object.assign(new Error('no'), { name: 'AccessDeniedException' });
    const attempt = vi.fn().mockRejectedValue(denied);
    await expect(retryTransient(attempt, policy())).rejects.toBe(denied);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('retries an unavailable service and a reset socket like throttling', async () => {
    const unavailable = Object.assign(new Error('try later'), { name: 'ServiceUnavailableException' });
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const attempt = vi.fn().mockRejectedValueOnce(unavailable).mockRejectedValueOnce(reset).mockResolvedValueOnce('ok');
    await expect(retryTransient(attempt, policy())).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('does not start a wait the deadline would cut short', async () => {
    const p = policy();
    const attempt = vi.fn().mockRejectedValue(throttle);
    const error = await retryTransient(attempt, p, { remainingMs: () => 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhausted);
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(p.sleep).not.toHaveBeenCalled();
  });

  it('does not retry once the signal aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('deadline'));
    const attempt = vi.fn().mockRejectedValue(throttle);
    await expect(retryTransient(attempt, policy(), { signal: controller.signal })).rejects.toBe(throttle);
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it('stops waiting when the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = abortableSleep(60_000, controller.signal);
    controller.abort(new Error('deadline'));
    await expect(waiting).rejects.toThrow('deadline');
  });
});

describe('retryTransientStream', () => {
  async function* stream(items: string[], failWith?: unknown): AsyncGenerator<string> {
    yield* items;
    if (failWith) throw failWith;
  }

  it('starts a fresh stream after a transient failure that had no side effect', async () => {
    const attempt = vi.fn<(n: number) => AsyncIterable<string>>().mockReturnValueOnce(stream(['route'], throttle)).mockReturnValueOnce(stream(['route', 'answer']));
    const seen: string[] = [];
    for await (const item of retryTransientStream(attempt, policy(), { ranSideEffect: (i) => i === 'tool_call' })) seen.push(item);
    expect(seen).toEqual(['route', 'route', 'answer']);
  });

  it('does not resend an attempt that ran a side effect', async () => {
    const attempt = vi.fn<(n: number) => AsyncIterable<string>>().mockReturnValueOnce(stream(['tool_call'], throttle)).mockReturnValueOnce(stream(['answer']));
    const seen: string[] = [];
    const run = async () => { for await (const item of retryTransientStream(attempt, policy(), { ranSideEffect: (i) => i === 'tool_call' })) seen.push(item); };
    await expect(run()).rejects.toBe(throttle);
    expect(seen).toEqual(['tool_call']);
    expect(attempt).toHaveBeenCalledTimes(1);
  });
});
