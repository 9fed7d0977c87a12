/**
 * `revops serve` as a child process, as the crash, restart, flood and journal tests run it: resolves once it
 * prints where it serves, rejects with its output when it exits first or does not listen within 90 s.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');

export interface ServeProcess {
  url: string;
  process: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
}

export function spawnServe(env: Record<string, string | undefined>, onSpawn?: (proc: ChildProcess) => void): Promise<ServeProcess> {
  const proc = spawn(process.execPath, [join(REPO_ROOT, 'infra/cli/revops.mjs'), 'serve', '--port', '0'], {
    cwd: REPO_ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  onSpawn?.(proc);
  let out = '';
  return new Promise((done, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = /serving on (http:\/\/[\d.:]+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        done({ url: match[1]!, process: proc, output: () => out });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}`)));
  });
}
