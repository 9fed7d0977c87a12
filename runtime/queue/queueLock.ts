/**
 * One process at a time owns an embedded queue's folder: `<queue dir>/lock` holds the owner's PID. Two servers
 * appending to one journal would interleave their records, and `revops queue repair` rewriting it under a running
 * server would lose what the server appends meanwhile. A lock whose process is gone (a `kill -9`, a crash) is taken
 * over; one held by this very process is too (a queue reopened in-process after a simulated crash).
 */
import { open, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QueueError } from './queue.ts';

export interface QueueLock {
  release(): Promise<void>;
}

const lockPath = (dir: string): string => join(dir, 'lock');

/** The PID of the live process other than this one that holds the folder's lock, if any. */
export async function lockHolder(dir: string): Promise<number | undefined> {
  let text: string;
  try {
    text = await readFile(lockPath(dir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isRunning(pid) ? pid : undefined;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by another user
  }
}

export async function acquireQueueLock(dir: string): Promise<QueueLock> {
  const path = lockPath(dir);
  const refuseIfHeld = async (): Promise<void> => {
    const holder = await lockHolder(dir);
    if (holder === undefined) return;
    throw new QueueError('queue_locked',
      `the queue in ${dir} is in use by another revops process (PID ${holder}); stop it first, or delete ${path} if no such process is running`);
  };
  await refuseIfHeld();
  try {
    const file = await open(path, 'wx');
    try {
      await file.write(String(process.pid));
    } finally {
      await file.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await refuseIfHeld(); // another process may have taken it since
    // A stale lock: replaced whole (a new name renamed over it), so a reader never sees a half-written PID.
    const temp = `${path}.${process.pid}`;
    await writeFile(temp, String(process.pid));
    await rename(temp, path);
  }
  return {
    async release() {
      if ((await readFile(path, 'utf8').catch(() => '')).trim() === String(process.pid)) await unlink(path).catch(() => undefined);
    },
  };
}
