/**
 * Issue 10, build point 8: user mistakes at the command line end in one message saying what is wrong and what to
 * do, and a non-zero exit, never a stack trace. Each case runs the real CLI (`node infra/cli/revops.mjs`, as
 * `npm start` and `npm run revops` do) in a throwaway project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile, readFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempProject } from './tempProject.ts';

const REVOPS = fileURLToPath(new URL('../../../infra/cli/revops.mjs', import.meta.url));
const STACK_FRAME = /^\s+at .+[(:]\d+/m;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

const baseEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REVOPS_NOW: '2025-11-14T09:00:00Z', REVOPS_LOG_LEVEL: 'error',
});

const revops = (cwd: string, args: string[], env: Record<string, string> = {}): Promise<Run> => run(process.execPath, [REVOPS, ...args], cwd, env);
const npm = (cwd: string, args: string[]): Promise<Run> => run('npm', args, cwd, {});

function run(program: string, args: string[], cwd: string, env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { cwd, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${program} ${args.join(' ')} did not exit:\n${stdout}\n${stderr}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A `revops serve` that keeps running (and holds the warehouse) until stopped. */
function holdingServer(cwd: string, env: Record<string, string> = {}): Promise<{ process: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [REVOPS, 'serve', '--port', '0'], { cwd, env: { ...baseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const match = /serving on http:\/\/[\d.]+:(\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ process: child, port: Number(match[1]) });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)));
  });
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

const expectClean = (run: Run, code: number): void => {
  expect(run.stderr).not.toMatch(STACK_FRAME);
  expect(run.code).toBe(code);
};

describe('a warehouse another revops process holds', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  let holder: Awaited<ReturnType<typeof holdingServer>>;
  beforeAll(async () => {
    project = await tempProject();
    holder = await holdingServer(project.root);
  });
  afterAll(async () => {
    await stop(holder?.process);
    await project?.remove();
  });

  it.each([
    ['serve', ['serve', '--port', '0']],
    ['start', ['start', '--port', '0']],
    ['ask', ['ask', 'what is the status of the IXIS deal?']],
    ['tool', ['tool', 'deal_lookup', '--param', 'deal_name=IXIS']],
  ])('revops %s names the holding process and the way out', async (name, args) => {
    const run = await revops(project.root, args);
    expectClean(run, 1);
    expect(run.stderr.trim()).toBe(`revops ${name}: error warehouse_locked: another revops process is using .revops/warehouse.duckdb ` +
      `(PID ${holder.process.pid}); stop it or set REVOPS_DATA_DIR`);
  });

  it('npm start names the holding process and the way out', async () => {
    // The project's own `start` script, as package.json has it, pointed at this checkout's CLI.
    await writeFile(join(project.root, 'package.json'), JSON.stringify({ name: 'locked', private: true, scripts: { start: `node ${JSON.stringify(REVOPS)} start` } }));
    const run = await npm(project.root, ['start', '--', '--port', '0']);
    expectClean(run, 1);
    expect(run.stderr).toContain('revops start: error warehouse_locked: another revops process is using .revops/warehouse.duckdb ' +
      `(PID ${holder.process.pid}); stop it or set REVOPS_DATA_DIR`);
  });

  it('revops serve on the port another server holds says the port is in use', async () => {
    const run = await revops(project.root, ['serve', '--port', String(holder.port)], { REVOPS_DATA_DIR: '.revops-second' });
    expectClean(run, 1);
    expect(run.stderr).toContain(`revops serve: error port_in_use: port ${holder.port} on 127.0.0.1 is in use (another revops server?); ` +
      'stop it, or pass --port or set PORT');
  });
});

describe('an invalid spec', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  beforeAll(async () => {
    project = await tempProject();
    const file = join(project.root, 'specs/agents/data.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^role: collaborator$/m, 'role: collaboratr'));
  });
  afterAll(async () => project?.remove());

  it.each([
    ['serve', ['serve', '--port', '0']],
    ['start', ['start', '--port', '0']],
    ['ask', ['ask', 'what is the status of the IXIS deal?']],
  ])('revops %s prints the diagnostics with file:line:col and what to do, and exits 1', async (name, args) => {
    const run = await revops(project.root, args);
    expectClean(run, 1);
    expect(run.stderr).toContain("specs/agents/data.yaml:3:7: error RV2004: role is 'collaboratr'");
    expect(run.stderr).toContain(`revops ${name}: error specs_invalid: specs/ has errors (listed above); fix them, then run the command again`);
  });
});

describe('command-line mistakes', () => {
  let project: Awaited<ReturnType<typeof tempProject>>;
  beforeAll(async () => {
    project = await tempProject();
    await writeFile(join(project.root, 'not-a-folder'), '');
  });
  afterAll(async () => project?.remove());

  it.each([
    [['serve', '--prot', '3'], "revops serve: Unknown option '--prot'\nusage: revops serve [--port 3000]"],
    [['ask', '--engin', 'x', 'hi'], "revops ask: Unknown option '--engin'\nusage: revops ask"],
    [['conversations', '--last'], "revops conversations: Option '--last <value>' argument missing\nusage: revops conversations"],
    [['serve', '--port', 'http'], "revops serve: --port: expected 0..65535, got 'http'"],
    [['nope'], "revops: unknown command 'nope'"],
  ])('revops %j is a usage error (exit 2)', async (args, message) => {
    const run = await revops(project.root, args);
    expectClean(run, 2);
    expect(run.stderr).toContain(message);
  });

  it('revops plan --against a missing manifest says which file and what to run', { timeout: 90_000 }, async () => {
    const run = await revops(project.root, ['plan', '--against', 'old-manifest.json']);
    expectClean(run, 1);
    expect(run.stderr.trim()).toBe('revops plan: error RV_INFRA_MANIFEST: cannot read old-manifest.json; run `npm run revops -- compile` ' +
      '(cannot open old-manifest.json: no such file or folder (ENOENT))');
  });

  it('a data folder that is a file: revops data seed says which path and why', async () => {
    const run = await revops(project.root, ['data', 'seed'], { REVOPS_DATA_DIR: 'not-a-folder/data' });
    expectClean(run, 1);
    expect(run.stderr.trim()).toBe(`revops data: error config_invalid: REVOPS_DATA_DIR: a part of '${join(project.root, 'not-a-folder/data')}' is a file, ` +
      'not a folder; point it at a folder (one that does not exist yet is created)');
  });

  it('a data folder that is a file: revops serve says which path and why', async () => {
    const warehouse = join(project.root, 'seeded', 'warehouse.duckdb');
    await mkdir(join(project.root, 'seeded'), { recursive: true });
    expectClean(await revops(project.root, ['data', 'seed', '--out', warehouse, '--scale', '20']), 0);
    const run = await revops(project.root, ['serve', '--port', '0'], { REVOPS_DATA_DIR: 'not-a-folder', REVOPS_WAREHOUSE_PATH: warehouse });
    expectClean(run, 2);
    expect(run.stderr).toMatch(/^revops serve: configuration: REVOPS_DATA_DIR: '\S+not-a-folder' is a file, not a folder/m);
  });
});
