import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError, type CommandIO } from '../../compiler/cli/command.ts';
import { command } from '../../runtime/cli/data.ts';
import { openDuckDbWarehouse } from '../../runtime/warehouse/duckdbWarehouse.ts';

let dir: string;
beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), 'data-cmd-')); });
afterAll(() => rm(dir, { recursive: true, force: true }));

function io(env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const value: CommandIO = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, env, cwd: dir };
  return { io: value, out, err };
}

const opportunities = async (path: string): Promise<unknown> => {
  const w = await openDuckDbWarehouse(path, { readOnly: true });
  try {
    return (await w.query('SELECT count(*) AS n FROM opportunities')).rows[0]!.n;
  } finally {
    await w.close();
  }
};

describe('revops data seed', () => {
  it('writes the default path under the working directory and prints counts', async () => {
    const { io: cli, out } = io({ REVOPS_NOW: '2025-11-14' });
    expect(await command.run(['seed', '--scale', '50'], cli)).toBe(0);
    expect(await opportunities(join(dir, '.revops', 'warehouse.duckdb'))).toBe(50);
    expect(out.join('\n')).toMatch(/now = 2025-11-14/);
    expect(out.join('\n')).toMatch(/opportunities\s+50\b/);
  });

  it('refuses to replace an existing file without --force, and replaces it with --force', async () => {
    const target = join(dir, 'mine.duckdb');
    await writeFile(target, 'not a warehouse');
    const first = io();
    expect(await command.run(['seed', '--out', 'mine.duckdb', '--scale', '20'], first.io)).toBe(1);
    expect(first.err.join('\n')).toMatch(/--force/);
    expect(await command.run(['seed', '--out', 'mine.duckdb', '--scale', '20', '--force'], io().io)).toBe(0);
    expect(await opportunities(target)).toBe(20);
    expect(existsSync(`${target}.wal`)).toBe(false);
  });

  it.each([
    [['seed', '--scale', '0'], /--scale/],
    [['seed', '--scale', '1000001'], /--scale/],
    [['seed', '--scale', '1e3'], /--scale/],
    [['seed', '--scale', '-5'], /--scale/],
    [['seed', '--bogus'], /bogus/],
    [['grow'], /unknown action/],
    [[], /missing action/],
  ])('%j is a usage error', async (args, message) => {
    await expect(command.run(args, io().io)).rejects.toThrow(UsageError);
    await expect(command.run(args, io().io)).rejects.toThrow(message);
  });

  it('reports a malformed REVOPS_NOW as a usage error', async () => {
    await expect(command.run(['seed', '--out', 'x.duckdb'], io({ REVOPS_NOW: 'soon' }).io)).rejects.toThrow(/REVOPS_NOW/);
  });
});
