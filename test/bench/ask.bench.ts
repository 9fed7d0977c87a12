/**
 * `revops ask` in-process latency (offline engine, real compiler, real toolbox, DuckDB sample warehouse) for the
 * seed's three example questions at 100,000 and 1,000,000 opportunities. Each question runs in a fresh session
 * (no follow-up shortcuts). Target: p50 under 150 ms at 100,000; a metric question under 300 ms at 1,000,000. Seeded
 * warehouses are kept in the OS temp folder between runs, keyed by scale and clock, because seeding a million
 * opportunities takes a while. Sessions go to the file-backed conversation store `revops ask --session` uses (a temp
 * folder); at 100,000 the first question is also timed over the in-memory store, so the store's own cost per question
 * shows beside it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileProject } from '../../compiler/index.ts';
import { collect } from '../../runtime/engines/collect.ts';
import { createOfflineEngine } from '../../runtime/engines/offline/index.ts';
import { createFileSessionBackend } from '../../runtime/sessions/fileBackend.ts';
import { createMemorySessionBackend } from '../../runtime/sessions/memoryBackend.ts';
import { createSessionStore, type SessionStore } from '../../runtime/sessions/sessionStore.ts';
import { createToolbox } from '../../runtime/tools/createToolbox.ts';
import { openDuckDbWarehouse } from '../../runtime/warehouse/duckdbWarehouse.ts';
import { seedSampleWarehouse } from '../../runtime/warehouse/sample/createSampleWarehouse.ts';
import type { BenchPart } from './run.ts';

const NOW = new Date('2025-11-14T09:00:00Z');
const QUESTIONS = ['what is the status of the IXIS deal?', 'assess John Smith from DataCorp as a lead', 'What deals are closing this quarter?',
  // Metric questions (specs/metrics): target p50 under 300 ms at 1,000,000.
  'which rep has the most open pipeline?', 'EMEA pipeline for Q1 2026', 'compare Q2 and Q3 revenue',
  'average deal size for Enterprise deals won in 2025', 'accounts at 85% of their seats'];
const SCALES = [100_000, 1_000_000];
const RUNS = 30;
const WARMUP = 3;

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** The seeded warehouse at `scale` (names.bench.ts uses the same files). */
export async function warehouseAt(scale: number, log: (line: string) => void): Promise<string> {
  const path = join(tmpdir(), `revops-bench-${scale}-${NOW.toISOString().slice(0, 10)}.duckdb`);
  if (!existsSync(path)) {
    const seeded = await seedSampleWarehouse({ out: path, scale, now: NOW });
    log(`seeded ${scale.toLocaleString('en-US')} opportunities in ${(seeded.durationMs / 1000).toFixed(1)} s`);
  }
  return path;
}

export const part: BenchPart = {
  order: 3,
  title: 'revops ask, offline engine, in-process latency',
  async run(log) {
    const compiled = await compileProject(fileURLToPath(new URL('../../', import.meta.url)));
    if (!compiled.manifest) throw new Error('specs do not compile; run revops validate');
    const manifest = compiled.manifest;
    const sessionsDir = await mkdtemp(join(tmpdir(), 'revops-bench-sessions-'));
    try {
    for (const scale of SCALES) {
      const warehouse = await openDuckDbWarehouse(await warehouseAt(scale, log), { readOnly: true });
      try {
        const toolbox = createToolbox(manifest.tools, { warehouse, env: {}, now: () => NOW, knowledge: manifest.knowledge });
        const started = performance.now();
        const engine = await createOfflineEngine({ manifest, toolbox, warehouse, now: () => NOW, sessions: createSessionStore(await createFileSessionBackend(sessionsDir, { ttlSeconds: 600 }), { ttlSeconds: 600 }) });
        log(`${scale.toLocaleString('en-US')} opportunities: engine created (entity names loaded) in ${Math.round(performance.now() - started)} ms`);
        const timed = async (label: string, question: string, run: typeof engine) => {
          const times: number[] = [];
          for (let i = 0; i < WARMUP + RUNS; i++) {
            const t0 = performance.now();
            const r = await collect(run.invoke({ agent: 'manager', text: question, sessionId: `bench-${scale}-${label}-${i}` }));
            if (r.status !== 'done') throw new Error(`${question}: ${r.error?.message}`);
            if (i >= WARMUP) times.push(performance.now() - t0);
          }
          times.sort((a, b) => a - b);
          log(`  ${label.padEnd(44)} p50 ${quantile(times, 0.5).toFixed(1).padStart(7)} ms  p95 ${quantile(times, 0.95).toFixed(1).padStart(7)} ms  (${RUNS} runs)`);
        };
        for (const question of QUESTIONS) await timed(question, question, engine);
        if (scale === SCALES[0]) {
          const memory: SessionStore = createSessionStore(createMemorySessionBackend(), { ttlSeconds: 600 });
          await timed(`${QUESTIONS[0]} (memory store)`, QUESTIONS[0]!, await createOfflineEngine({ manifest, toolbox, warehouse, now: () => NOW, sessions: memory }));
        }
      } finally {
        await warehouse.close();
      }
    }
    } finally {
      await rm(sessionsDir, { recursive: true, force: true });
    }
  },
};
