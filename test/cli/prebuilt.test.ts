import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { CommandIO } from '../../compiler/cli/command.ts';
import { main as sourceMain } from '../../infra/cli/revops.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

interface Prebuilt {
  buildCli(out: string): Promise<string>;
  freshEntry(out: string): Promise<string | undefined>;
  prebuiltEntry(out: string): Promise<string | undefined>;
}
const prebuilt = (await import(join(REPO_ROOT, 'infra/cli/prebuilt.mjs') as string)) as Prebuilt;

const io = (): CommandIO & { out: string[] } => {
  const out: string[] = [];
  return { out, isTTY: false, cwd: REPO_ROOT, env: {}, stdout: (t) => out.push(t), stderr: (t) => out.push(t) };
};

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
const tempDir = async (): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'revops-prebuilt-'));
  dirs.push(dir);
  return dir;
};

describe('the prebuilt CLI', () => {
  it('is used while its sources are unchanged and rebuilt when one changed', async () => {
    const out = await tempDir();
    const entry = await prebuilt.buildCli(out);
    expect(existsSync(entry)).toBe(true);
    expect(await prebuilt.freshEntry(out)).toBe(entry);
    const current = JSON.parse(await readFile(join(out, 'current.json'), 'utf8')) as { build: string; inputs: Record<string, string> };
    expect(Object.keys(current.inputs)).toContain('runtime/cli/ask.ts');
    // A source whose size or time differs from the build's record makes the build stale.
    current.inputs['runtime/cli/ask.ts'] = '0:0';
    await writeFile(join(out, 'current.json'), JSON.stringify(current));
    expect(await prebuilt.freshEntry(out)).toBeUndefined();
    const rebuilt = await prebuilt.prebuiltEntry(out);
    expect(rebuilt).not.toBe(entry);
    expect(await prebuilt.freshEntry(out)).toBe(rebuilt);
  });

  it('behaves as the TypeScript sources do', async () => {
    const { main } = (await import(await prebuilt.buildCli(await tempDir()))) as { main: typeof sourceMain };
    for (const argv of [['--help'], ['ask', '--help'], ['nope']]) {
      const [a, b] = [io(), io()];
      expect(await main(argv, a)).toBe(await sourceMain(argv, b));
      expect(a.out).toEqual(b.out);
    }
  });

  it('finds the files a module reads beside its source (the sample warehouse SQL)', async () => {
    const out = await tempDir();
    const { main } = (await import(await prebuilt.buildCli(join(out, 'build')))) as { main: typeof sourceMain };
    const target = join(out, 'sample.duckdb');
    expect(await main(['data', 'seed', '--scale', '20', '--out', target], io())).toBe(0);
    expect(existsSync(target)).toBe(true);
  });

  it('runs as the revops executable', async () => {
    const { stdout } = await run(process.execPath, [join(REPO_ROOT, 'infra/cli/revops.mjs'), '--help'], { cwd: REPO_ROOT });
    expect(stdout).toMatch(/^usage: revops <command>/);
  });
});

describe('a build made from another working folder', () => {
  it('records its inputs by their place in the repository, so a later change is still seen', async () => {
    const out = await tempDir();
    const cwd = process.cwd();
    process.chdir(await tempDir());
    try {
      await prebuilt.buildCli(out);
    } finally {
      process.chdir(cwd);
    }
    const current = JSON.parse(await readFile(join(out, 'current.json'), 'utf8')) as { inputs: Record<string, string> };
    expect(current.inputs['runtime/cli/ask.ts']).toMatch(/^\d+:[\d.]+$/);
    expect(Object.values(current.inputs)).not.toContain('missing');
  });
});
