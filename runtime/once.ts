/**
 * `once(load)`: the one way the runtime memoizes a promise. The first call runs `load` and every caller gets the same
 * promise; a failure is forgotten, so the next call runs `load` again. What the Lambda adapters build once per cold
 * start, what a role builds on first use (the Lambda toolbox, the Slack user-group reader), a warehouse connection
 * and the Slack bot's identity all go through it.
 */
export interface Once<T> {
  (): Promise<T>;
  /** The promise a call started, unless it failed or was forgotten; never starts one (closing what was opened). */
  started(): Promise<T> | undefined;
  /** Drops the value, so the next call runs `load` again (a connection given up on). */
  forget(): void;
}

export function once<T>(load: () => Promise<T>): Once<T> {
  let pending: Promise<T> | undefined;
  const get = (): Promise<T> => {
    if (pending) return pending;
    // A synchronous throw in `load` is a failure like a rejection: forgotten, and handed to this caller.
    const started: Promise<T> = new Promise<T>((resolve) => resolve(load())).catch((error: unknown) => {
      // Only this call's promise: a newer one, started after a `forget`, stays.
      if (pending === started) pending = undefined;
      throw error;
    });
    pending = started;
    return started;
  };
  return Object.assign(get, { started: () => pending, forget: () => { pending = undefined; } });
}
