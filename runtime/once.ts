/**
 * `once(load)`: runs `load` on the first call and hands every caller the same promise; a failure is not cached, so
 * the next call retries. What the Lambda adapters build once per cold start, and what the runtime builds on first
 * use (the Lambda toolbox, the Slack user-group reader), go through it.
 */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}
