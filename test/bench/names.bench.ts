/**
 * The offline engine's names at 1,000,000 opportunities, as a user meets them: whole `revops ask` processes with the
 * name index cold (no `<warehouse>.names`: every name read from the warehouse and the cache written) and warm (read
 * from the cache), and `revops serve` start-up until it listens (names load on the first question, not at start),
 * next to `node -e 0` in the same run. Targets: warm `ask` < 1 s wall, server start-up < 1.5 s. The seeded warehouse
 * is copied into a folder of this run, so the server's write lock and the cache touch no shared file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nameCachePath } from '../../runtime/engines/offline/nameCache.ts';
import { warehouseAt } from './ask.bench.ts';
import type { BenchPart } from './run.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCALE = 1_000_000;
const RUNS = 5;
const CLI = join(ROOT, 'infra/cli/revops.mjs');

interface Run {
  wall: number;
  /** CPU ms of the process (undefined where the kernel's tally cannot be read). */
  cpu?: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU ms of every child this process has reaped so far (Linux `/proc/self/stat` cutime + cstime), if readable. */
function childrenCpuMs(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** Wall and CPU time of `run`, which starts one child and resolves after it was reaped. */
async function measured(run: () => Promise<number> | number): Promise<Run> {
  const before = childrenCpuMs();
  const wall = await run();
  const after = childrenCpuMs();
  return { wall, ...(before !== undefined && after !== undefined ? { cpu: after - before } : {}) };
}

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return performance.now() - started;
}

/** Spawn to a 200 from `GET /healthz`: what a deploy or a developer waits for before the first request. */
function serveStartMs(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    let healthy: number | undefined;
    let failure: Error | undefined;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      const before = out;
      out += d.toString();
      const url = /serving on (http:\/\/\S+)/u.exec(out)?.[1];
      if (!url || /serving on (http:\/\/\S+)/u.test(before)) return;
      fetch(`${url}/healthz`).then((r) => {
        if (r.status !== 200) throw new Error(`GET /healthz answered ${r.status}`);
        healthy = performance.now() - started;
      }).catch((e: Error) => (failure = e)).finally(() => child.kill('SIGTERM'));
    });
    child.once('exit', (code) => (healthy === undefined ? reject(failure ?? new Error(`revops serve exited ${code} before it was healthy: ${err}`)) : resolve(healthy)));
  });
}

/** Median wall time, median CPU time and the load average at the end, as one line's figures. */
function summary(runs: Run[], bare: number, target?: number): string {
  const wall = median(runs.map((r) => r.wall));
  const cpus = runs.flatMap((r) => (r.cpu === undefined ? [] : [r.cpu]));
  const verdict = target === undefined ? '' : `; target < ${target} ms: ${wall < target ? 'met' : 'MISSED'}`;
  return `${wall.toFixed(0)} ms wall (${(wall / bare).toFixed(1)} x node -e 0${verdict}), ` +
    `${cpus.length ? `${median(cpus).toFixed(0)} ms CPU` : 'CPU n/a'}, load average ${loadavg()[0]!.toFixed(1)}`;
}

export const part: BenchPart = {
  order: 3.5,
  title: 'entity names at 1,000,000 opportunities: revops ask and serve start-up, whole processes (median)',
  async run(log) {
    const dir = await mkdtemp(join(tmpdir(), 'revops-bench-names-'));
    try {
      const warehouse = join(dir, 'warehouse.duckdb');
      await copyFile(await warehouseAt(SCALE, log), warehouse);
      const env = { ...process.env, REVOPS_NOW: '', REVOPS_WAREHOUSE_PATH: warehouse, REVOPS_DATA_DIR: join(dir, 'data') };
      const ask = [CLI, 'ask', 'what is the status of the IXIS deal?'];
      const times = async (n: number, run: () => Promise<number> | number): Promise<Run[]> => {
        const runs: Run[] = [];
        for (let i = 0; i < n; i++) runs.push(await measured(run));
        return runs;
      };
      const bareRuns = await times(RUNS, () => wallMs(['-e', '0'], env));
      const bare = median(bareRuns.map((r) => r.wall));
      log(`node -e 0: ${summary(bareRuns, bare)}`);
      const cold = await times(3, async () => {
        await rm(nameCachePath(warehouse), { force: true });
        return wallMs(ask, env);
      });
      log(`revops ask (IXIS), names cold (read from the warehouse, cache written): ${summary(cold, bare)}`);
      const warm = await times(RUNS, () => wallMs(ask, env));
      log(`revops ask (IXIS), names warm (<warehouse>.names): ${summary(warm, bare, 1000)}`);
      const serve = await times(RUNS, () => serveStartMs(env));
      log(`revops serve, spawn to a 200 from GET /healthz (CPU: the whole process, to its exit): ${summary(serve, bare, 1500)}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
