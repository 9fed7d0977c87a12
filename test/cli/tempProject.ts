/** A throwaway project root for CLI tests: a copy of the shipped specs, with build/ and the data folder inside it. */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandIO } from '../../compiler/cli/command.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export async function tempProject(): Promise<{ root: string; remove(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'revops-cli-'));
  await cp(join(REPO_ROOT, 'specs'), join(root, 'specs'), { recursive: true });
  return { root, remove: () => rm(root, { recursive: true, force: true }) };
}

export function captureIO(root: string, env: Record<string, string> = {}): CommandIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out, err, isTTY: false, cwd: root,
    env: { REVOPS_NOW: '2025-11-14T09:00:00Z', ...env },
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
  };
}
