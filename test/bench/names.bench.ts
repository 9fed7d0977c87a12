/**
 * The offline engine's names at 1,000,000 opportunities, as a user meets them: whole `revops ask` processes with the
 * name index cold (no `<warehouse>.names`: every name read from the warehouse and the cache written) and warm (read
 * from the cache), and `revops serve` start-up until it listens (names load on the first question, not at start),
 * next to `node -e 0` in the same run. Targets: warm `ask` < 1 s wall, server start-up < 1.5 s. The seeded warehouse
 * is copied into a folder of this run, so the server's write lock and the cache touch no shared file.
 */
import { spawn, spawnSync } from 'node:child_process';
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
const CLI = join(ROOT, 'cli/revops.mjs');

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function wallMs(args: string[], env: NodeJS.ProcessEnv): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env });
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return performance.now() - started;
}

/** Spawn to "serving on": what a deploy or a developer waits for before the first request. */
function serveStartMs(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env });
    let out = '';
    let err = '';
    let listening: number | undefined;
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (listening === undefined && out.includes('serving on')) {
        listening = performance.now() - started;
        child.kill('SIGTERM');
      }
    });
    child.once('exit', (code) => (listening === undefined ? reject(new Error(`revops serve exited ${code} before listening: ${err}`)) : resolve(listening)));
  });
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
      const bare = median(Array.from({ length: RUNS }, () => wallMs(['-e', '0'], env)));
      const cold: number[] = [];
      for (let i = 0; i < 3; i++) {
        await rm(nameCachePath(warehouse), { force: true });
        cold.push(wallMs(ask, env));
      }
      const warm = median(Array.from({ length: RUNS }, () => wallMs(ask, env)));
      const serve: number[] = [];
      for (let i = 0; i < RUNS; i++) serve.push(await serveStartMs(env));
      const verdict = (ms: number, target: number): string => `target < ${target} ms: ${ms < target ? 'met' : 'MISSED'}`;
      log(`load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; node -e 0: ${bare.toFixed(0)} ms`);
      log(`revops ask (IXIS), names cold (read from the warehouse, cache written): ${median(cold).toFixed(0)} ms (${(median(cold) / bare).toFixed(1)} x node -e 0)`);
      log(`revops ask (IXIS), names warm (<warehouse>.names): ${warm.toFixed(0)} ms (${(warm / bare).toFixed(1)} x node -e 0; ${verdict(warm, 1000)})`);
      log(`revops serve, spawn to listening: ${median(serve).toFixed(0)} ms (${(median(serve) / bare).toFixed(1)} x node -e 0; ${verdict(median(serve), 1500)})`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};
