import { describe, expect, it } from 'vitest';
import { AckLane } from '../../../../runtime/channels/slack/ackLane.ts';

/** A post that resolves when the test says so, recording when it started. */
function controllable(log: string[], key: string) {
  let finish!: (ts: string | undefined) => void;
  const post = () => {
    log.push(`start ${key}`);
    return new Promise<string | undefined>((resolve) => { finish = resolve; });
  };
  return { post, finish: (ts: string | undefined) => finish(ts) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('AckLane', () => {
  it('keeps at most `concurrency` posts in flight and starts the rest in arrival order', async () => {
    const lane = new AckLane({ concurrency: 2, maxWaiting: 10 });
    const log: string[] = [];
    const posts = ['a', 'b', 'c', 'd'].map((k) => ({ k, ...controllable(log, k) }));
    const results = posts.map((p) => lane.submit(p.k, p.post));
    expect(log).toEqual(['start a', 'start b']);
    expect(lane.size).toEqual({ inFlight: 2, waiting: 2 });
    posts[1]!.finish('ts-b');
    await tick();
    expect(log).toEqual(['start a', 'start b', 'start c']);
    posts[0]!.finish('ts-a');
    await tick();
    posts[2]!.finish('ts-c');
    posts[3]!.finish('ts-d');
    expect(await Promise.all(results)).toEqual(['ts-a', 'ts-b', 'ts-c', 'ts-d']);
    expect(lane.size).toEqual({ inFlight: 0, waiting: 0 });
  });

  it('withdraws a post that has not started, but not one in flight', async () => {
    const lane = new AckLane({ concurrency: 1, maxWaiting: 10 });
    const log: string[] = [];
    const a = controllable(log, 'a');
    const b = controllable(log, 'b');
    const first = lane.submit('a', a.post);
    const second = lane.submit('b', b.post);
    expect(lane.withdraw('a')).toBe(false);
    expect(lane.withdraw('b')).toBe(true);
    expect(await second).toBeUndefined();
    a.finish('ts-a');
    expect(await first).toBe('ts-a');
    await tick();
    expect(log).toEqual(['start a']);
  });

  it('drops the oldest waiting post beyond maxWaiting', async () => {
    const lane = new AckLane({ concurrency: 1, maxWaiting: 2 });
    const log: string[] = [];
    const posts = ['a', 'b', 'c', 'd'].map((k) => ({ k, ...controllable(log, k) }));
    const results = posts.map((p) => lane.submit(p.k, p.post));
    expect(await results[1]).toBeUndefined();
    expect(lane.size).toEqual({ inFlight: 1, waiting: 2 });
    posts[0]!.finish('ts-a');
    await tick();
    posts[2]!.finish('ts-c');
    await tick();
    posts[3]!.finish('ts-d');
    expect(await Promise.all([results[0], results[2], results[3]])).toEqual(['ts-a', 'ts-c', 'ts-d']);
    expect(log).toEqual(['start a', 'start c', 'start d']);
  });

  it('starts nothing while saturated, and catches up once the load has passed', async () => {
    let saturated = true;
    const lane = new AckLane({ concurrency: 4, maxWaiting: 10, saturated: () => saturated, recheckMs: 5 });
    const log: string[] = [];
    const a = controllable(log, 'a');
    const result = lane.submit('a', a.post);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).toEqual([]);
    saturated = false;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).toEqual(['start a']);
    a.finish('ts-a');
    expect(await result).toBe('ts-a');
  });

  it('gives undefined, never a rejection, when the post fails', async () => {
    const lane = new AckLane({ concurrency: 1, maxWaiting: 10 });
    await expect(lane.submit('a', () => Promise.reject(new Error('slack down')))).resolves.toBeUndefined();
  });
});
