/**
 * Warehouse (issue 3): seed time of the sample warehouse at 100,000 and 1,000,000 opportunities, then p50/p95 of
 * the seed's IXIS lookup and three pipeline queries on DuckDB at both scales (warm, 30 runs each).
 * Targets at 1,000,000: lookup p50 < 50 ms, pipeline p50 < 300 ms. Seeded files are cached in the temp folder by
 * scale, "now" and a hash of the generator, so the ask benchmark can reuse them (`benchWarehouse`).
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDuckDbWarehouse } from '../../runtime/warehouse/duckdbWarehouse.ts';
import { seedSampleWarehouse } from '../../runtime/warehouse/sample/createSampleWarehouse.ts';
import { sampleNow } from '../../runtime/warehouse/sample/sampleClock.ts';
import { ixisLookup, pipelineQueries } from '../runtime/warehouse/seedQueries.ts';
import type { BenchPart } from './run.ts';

const SCALES = [100_000, 1_000_000];
const RUNS = 30;
const sampleDir = new URL('../../runtime/warehouse/sample/', import.meta.url);

async function generatorHash(): Promise<string> {
  const hash = createHash('sha256').update(await readFile(new URL('schema.sql', sampleDir)));
  const generate = new URL('generate/', sampleDir);
  for (const file of (await readdir(generate)).sort()) hash.update(await readFile(new URL(file, generate)));
  return hash.digest('hex').slice(0, 12);
}

interface Seeded { path: string; seedMs: number; cached: boolean }

async function seeded(scale: number): Promise<Seeded> {
  const now = sampleNow(process.env);
  const dir = join(tmpdir(), 'revops-bench');
  const path = join(dir, `warehouse-${scale}-${now.toISOString().slice(0, 10)}-${await generatorHash()}.duckdb`);
  const record = `${path}.json`;
  if (existsSync(path) && existsSync(record)) return { path, seedMs: (JSON.parse(await readFile(record, 'utf8')) as { seedMs: number }).seedMs, cached: true };
  await mkdir(dir, { recursive: true });
  const { durationMs } = await seedSampleWarehouse({ out: path, scale, now });
  await writeFile(record, JSON.stringify({ seedMs: durationMs }));
  return { path, seedMs: durationMs, cached: false };
}

/** The seeded sample warehouse at `scale` opportunities (REVOPS_NOW or today), built once and reused. */
export async function benchWarehouse(scale: number): Promise<string> {
  return (await seeded(scale)).path;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (n: number): string => `${n.toFixed(1)} ms`;

export const part: BenchPart = {
  order: 2,
  title: 'Warehouse: sample seed and the seed\'s queries on DuckDB',
  async run(log) {
    const queries = { 'IXIS lookup': ixisLookup, ...Object.fromEntries(Object.entries(pipelineQueries(sampleNow(process.env))).map(([k, v]) => [`pipeline ${k}`, v])) };
    for (const scale of SCALES) {
      const { path, seedMs, cached } = await seeded(scale);
      log(`${scale.toLocaleString('en-US')} opportunities: seed ${(seedMs / 1000).toFixed(1)} s${cached ? ' (cached run)' : ''}`);
      const warehouse = await openDuckDbWarehouse(path, { readOnly: true });
      try {
        for (const [name, sql] of Object.entries(queries)) {
          for (let i = 0; i < 3; i++) await warehouse.query(sql);
          const times: number[] = [];
          for (let i = 0; i < RUNS; i++) {
            const started = performance.now();
            await warehouse.query(sql);
            times.push(performance.now() - started);
          }
          times.sort((a, b) => a - b);
          const target = scale === 1_000_000 ? ` (target p50 < ${name === 'IXIS lookup' ? 50 : 300} ms)` : '';
          log(`  ${name.padEnd(18)} p50 ${ms(percentile(times, 50)).padStart(9)}  p95 ${ms(percentile(times, 95)).padStart(9)}${target}`);
        }
      } finally {
        await warehouse.close();
      }
    }
  },
};
