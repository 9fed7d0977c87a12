/** runtime/once.ts: the one memoized promise (issue 12). */
import { describe, expect, it } from 'vitest';
import { once } from '../../runtime/once.ts';

/** A load whose calls are counted and whose results the test settles by hand. */
function controlledLoad() {
  const calls: Array<{ resolve: (value: string) => void; reject: (error: Error) => void }> = [];
  const load = () => new Promise<string>((resolve, reject) => calls.push({ resolve, reject }));
  return { calls, load };
}

describe('once', () => {
  it('hands concurrent callers one call and one promise, and the value to later callers without loading again', async () => {
    const { calls, load } = controlledLoad();
    const get = once(load);
    const waiting = [get(), get(), get()];
    expect(calls).toHaveLength(1);
    expect(new Set(waiting).size).toBe(1);
    calls[0]!.resolve('connected');
    expect(await Promise.all(waiting)).toEqual(['connected', 'connected', 'connected']);
    expect(await get()).toBe('connected');
    expect(calls).toHaveLength(1);
  });

  it('forgets a failure: every caller waiting gets it, and the next call loads again', async () => {
    const { calls, load } = controlledLoad();
    const get = once(load);
    const waiting = [get(), get()];
    calls[0]!.reject(new Error('login refused'));
    for (const w of waiting) await expect(w).rejects.toThrow('login refused');
    expect(get.started()).toBeUndefined();
    const retried = get();
    expect(calls).toHaveLength(2);
    calls[1]!.resolve('connected');
    expect(await retried).toBe('connected');
  });

  it('treats a load that throws synchronously as a failure, forgotten like a rejection', async () => {
    let attempts = 0;
    const get = once(() => {
      attempts += 1;
      if (attempts === 1) throw new Error('no configuration yet');
      return Promise.resolve(attempts);
    });
    await expect(get()).rejects.toThrow('no configuration yet');
    expect(await get()).toBe(2);
  });

  it('says what it started without starting it, and loads again after forget', async () => {
    const { calls, load } = controlledLoad();
    const get = once(load);
    expect(get.started()).toBeUndefined();
    expect(calls).toHaveLength(0);
    const first = get();
    expect(get.started()).toBe(first);
    get.forget();
    expect(get.started()).toBeUndefined();
    const second = get();
    expect(calls).toHaveLength(2);
    // The forgotten call failing later does not drop the newer one.
    calls[0]!.reject(new Error('stale connection'));
    await expect(first).rejects.toThrow('stale connection');
    expect(get.started()).toBe(second);
    calls[1]!.resolve('fresh');
    expect(await get()).toBe('fresh');
    expect(calls).toHaveLength(2);
  });
});
