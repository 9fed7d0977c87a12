/**
 * `revops` as a user runs it: whole processes, median wall time of several runs after a warm-up, next to bare
 * `node -e 0` measured in the same run, for the prebuilt CLI and (for comparison) the TypeScript sources under tsx.
 * Targets: validate < 500 ms, ask (IXIS, 2,000 opportunities) < 700 ms, tool deal_lookup < 500 ms.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchPart } from './run.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = 7;
/** The CLI from its TypeScript sources, as `revops` ran before it was prebuilt. */
const SOURCE_MAIN = "const { main } = await import('./infra/cli/revops.ts'); process.exitCode = await main";
const COMMANDS: Array<{ name: string; args: string[]; target: number }> = [
  { name: 'validate', args: ['validate'], target: 500 },
  { name: 'ask (IXIS)', args: ['ask', 'what is the status of the IXIS deal?'], target: 700 },
  { name: 'tool deal_lookup', args: ['tool', 'deal_lookup', '--param', 'deal_name=IXIS'], target: 500 },
];

function medianMs(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, REVOPS_NOW: '' } });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    if (i > 0) times.push(performance.now() - started); // the first run warms the OS cache (and builds, if stale)
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

export const part: BenchPart = {
  order: 0.5,
  title: 'revops CLI, whole-process wall time (median)',
  async run(log) {
    const bare = medianMs(['-e', '0']);
    log(`node -e 0: ${bare.toFixed(0)} ms`);
    for (const { name, args, target } of COMMANDS) {
      const prebuilt = medianMs(['infra/cli/revops.mjs', ...args]);
      const sources = medianMs(['--import', 'tsx', '--input-type=module', '-e', `${SOURCE_MAIN}(${JSON.stringify(args)})`]);
      const verdict = prebuilt < target ? 'met' : 'MISSED';
      log(`${name}: ${prebuilt.toFixed(0)} ms (${(prebuilt / bare).toFixed(1)} x node -e 0; target < ${target} ms: ${verdict}); TypeScript sources under tsx: ${sources.toFixed(0)} ms`);
    }
  },
};
