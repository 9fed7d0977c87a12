/**
 * Deploy bench: each Lambda bundle's size and its cold start — a fresh `node` process that imports the bundle and
 * handles one sample event (AWS endpoints pointed at a closed loopback port so calls fail fast but the handler
 * completes) — next to a bare `node -e ''` start in the same run; medians of 5. Targets (issue 6): each bundle
 * under 2 MB, cold start under 300 ms more than bare node. Builds dist/lambda first when a bundle is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAMBDA_BUNDLES, type BundleName } from '../../infra/bundles.ts';
import { bundleLambdas } from '../../infra/bundle.ts';
import { ensureManifest } from '../../infra/manifestSource.ts';
import type { BenchPart } from './run.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(root, 'test', 'lambda', 'fixtures');
const RUNS = 5;
const MB = 1024 * 1024;

/** Imports the bundle, handles one event, prints timings; never throws (a failed call still completes). */
const RUNNER = `
const t0 = performance.now();
const { handler } = await import(process.argv[2]);
const t1 = performance.now();
const event = JSON.parse(await (await import('node:fs/promises')).readFile(process.argv[3], 'utf8'));
let outcome = 'ok';
try { await handler(event, {}); } catch (error) { outcome = 'threw ' + (error?.code ?? error?.name); }
console.log(JSON.stringify({ importMs: t1 - t0, handleMs: performance.now() - t1, outcome }));
`;

async function eventFor(name: BundleName, dir: string): Promise<string> {
  const read = async (file: string) => JSON.parse(await readFile(join(fixtures, file), 'utf8')) as Record<string, unknown>;
  let event: Record<string, unknown>;
  if (name === 'processor') {
    event = await read('sqs-event.json');
    const message = { kind: 'webhook', id: 'bench', dedupeKey: 'bench', channel: 'webhook', agent: 'manager', text: 'status of IXIS',
      sessionId: 'bench', receivedAt: new Date(0).toISOString(), webhook: { trackingId: 'bench', sourceSystem: 'bench' } };
    for (const record of event.Records as Array<{ body: string }>) record.body = JSON.stringify(message);
  } else if (name === 'tool-executor') {
    event = await read('bedrock-action-group-event.json');
  } else {
    event = await read('apigw-v2-webhook-post.json');
    if (name === 'slack-ingress') Object.assign(event, { rawPath: '/slack/events', routeKey: 'POST /slack/events' });
  }
  const path = join(dir, `${name}.event.json`);
  await writeFile(path, JSON.stringify(event));
  return path;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timeProcess(args: string[], env: NodeJS.ProcessEnv): { ms: number; stdout: string } {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { env, encoding: 'utf8' });
  return { ms: performance.now() - started, stdout: result.stdout.trim().split('\n').pop() ?? '' };
}

export const part: BenchPart = {
  order: 6,
  title: 'Deploy: Lambda bundle size and cold start',
  async run(log) {
    const names = Object.keys(LAMBDA_BUNDLES) as BundleName[];
    const path = (name: string) => join(root, 'dist', 'lambda', `${name}.mjs`);
    if (names.some((n) => !existsSync(path(n)))) {
      log('building dist/lambda (npm run build) ...');
      for (const r of await bundleLambdas(root)) if (!r.ok) log(`  ${r.name}: build failed: ${r.error}`);
    }
    const dir = await mkdtemp(join(tmpdir(), 'revops-deploy-bench-'));
    await copyFile(await ensureManifest(root), join(dir, 'manifest.json'));
    await writeFile(join(dir, 'runner.mjs'), RUNNER);
    const closedPort = 'http://127.0.0.1:9';
    const env = {
      PATH: process.env.PATH, LAMBDA_TASK_ROOT: dir, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL: closedPort, AWS_MAX_ATTEMPTS: '1', REVOPS_SECRET_ARNS: '{}', REVOPS_ENGINE: 'bedrock-agents', REVOPS_WAREHOUSE: 'firebolt',
      REVOPS_QUEUE: 'sqs', REVOPS_QUEUE_URL_SLACK: `${closedPort}/1/slack`, REVOPS_QUEUE_URL_WEBHOOK: `${closedPort}/1/webhook`,
      REVOPS_EXPORT_BUCKET: 'bench', REVOPS_STATUS_BUCKET: 'bench', REVOPS_LOG_LEVEL: 'error', WEBHOOK_API_KEYS: 'bench-key-0123456789abcdef',
    };
    const bare: number[] = [];
    const rows: Array<{ name: string; bytes: number; cold: number[]; imports: number[]; outcome: string }> = [];
    for (const name of names.filter((n) => existsSync(path(n)))) {
      rows.push({ name, bytes: (await stat(path(name))).size, cold: [], imports: [], outcome: '' });
    }
    const events = Object.fromEntries(await Promise.all(rows.map(async (r) => [r.name, await eventFor(r.name as BundleName, dir)])));
    for (let i = 0; i < RUNS; i += 1) {
      bare.push(timeProcess(['-e', ''], env).ms);
      for (const row of rows) {
        const { ms, stdout } = timeProcess([join(dir, 'runner.mjs'), path(row.name), events[row.name]!], env);
        row.cold.push(ms);
        const parsed = JSON.parse(stdout || '{"importMs":NaN,"outcome":"no output"}') as { importMs: number; outcome: string };
        row.imports.push(parsed.importMs);
        row.outcome = parsed.outcome;
      }
    }
    const bareMs = median(bare);
    log(`bare node -e '': ${bareMs.toFixed(0)} ms (median of ${RUNS})`);
    for (const row of rows) {
      const extra = median(row.cold) - bareMs;
      log(`${row.name.padEnd(16)} ${(row.bytes / MB).toFixed(2)} MB ${row.bytes < 2 * MB ? 'ok' : 'OVER 2 MB'}   ` +
        `cold start ${median(row.cold).toFixed(0)} ms (+${extra.toFixed(0)} ms over bare node, ${extra < 300 ? 'ok' : 'OVER 300 ms'}; ` +
        `import ${median(row.imports).toFixed(0)} ms; handler ${row.outcome})`);
    }
    for (const name of names.filter((n) => !rows.some((r) => r.name === n))) log(`${name}: no bundle (build failed)`);
  },
};
