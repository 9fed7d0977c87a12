/**
 * Deploy bench: each Lambda function's size and its cold start — a fresh `node` process that imports the bundle,
 * handles one event and exits when the handler resolves (as an invocation ends) — next to a bare `node -e ''` in the
 * same run; medians of RUNS. Targets (issue 6): each bundle under 2 MB, cold start under 300 ms more than bare node.
 * Lambda runs the functions on LAMBDA_NODE_RUNTIME (nodejs22.x) and they are bundled for it; the task roots here run
 * on the node running the bench, and the first line of the report says which (a machine with Node 20 only measures
 * on 20, so its figures are for the same code, not the same runtime).
 *
 * Each function runs as Lambda runs it (test/lambda/bundleHarness.ts): its folder alone in a temporary task root, no
 * node_modules to fall back on, the manifest beside it, NODE_OPTIONS as infra sets it, its secrets read from Secrets
 * Manager at cold start. Events do the real work: the webhook request carries its API key and the Slack request a
 * valid signature, so both are enqueued; the processors ask the deployed agent (InvokeAgent over HTTP/2, its
 * trace and answer streamed back) or, as the default deploy does, run the Converse engine (Converse over HTTP/2),
 * and answer through the Slack or webhook delivery; the tool executor runs the
 * seed's deal lookup on Firebolt. AWS, Bedrock Agent Runtime, the Slack Web API and Firebolt are loopback stand-ins
 * (test/lambda/awsStandIn.ts, test/lambda/bedrockAgentRuntimeStandIn.ts, test/runtime/slack/slackApiStandIn.ts,
 * test/warehouse/fireboltStandIn.ts over a small seeded sample warehouse).
 * Sizes: "loaded" is every file of the function the process read (entry plus the chunks it imported, recorded by a
 * module hook in a separate, untimed run); "deployed" is all the function's code (chunks it may never load included).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleLambdas } from '../../infra/bundle.ts';
import { BUNDLE_DIR, type BundleName } from '../../infra/bundles.ts';
import { ensureManifest } from '../../infra/manifestSource.ts';
import { AwsStandIn } from '../lambda/awsStandIn.ts';
import { BedrockAgentRuntimeStandIn } from '../lambda/bedrockAgentRuntimeStandIn.ts';
import { BedrockRuntimeStandIn } from '../lambda/bedrockRuntimeStandIn.ts';
import { LAMBDA_NODE_RUNTIME } from '../../infra/lambdaRuntime.ts';
import { actionGroupEvent, appMention, runFunction, slackRequest, sqsBatch, stageFunction, webhookRequest, writeRunner } from '../lambda/bundleHarness.ts';
import { seedSampleWarehouse } from '../../runtime/warehouse/sample/createSampleWarehouse.ts';
import { SlackApiStandIn } from '../runtime/slack/slackApiStandIn.ts';
import { startFireboltStandIn } from '../warehouse/fireboltStandIn.ts';
import type { BenchPart } from './run.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = 11;
const MB = 1024 * 1024;
const API_KEY = 'bench-key-0123456789abcdef';
const SIGNING_SECRET = 'bench-signing-secret';
const SLACK = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-bench' };
const WEBHOOK_SIGNING = { WEBHOOK_SIGNING_SECRET: 'bench-webhook-signing-secret-0123456789' };
const FIREBOLT = { clientId: 'bench-client', clientSecret: 'bench-secret', account: 'bench', database: 'revops', engine: 'bench_engine' };
const secretArn = (env: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:revops-bench-${env}`;

/** Module hooks for the untimed run: append every file URL the loader loads to LOADED_LOG. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.LOADED_LOG, url + '\\n');
  return next(url, context);
}`;
const REGISTER = `import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);`;

/**
 * One deployed function: its bundle, the secrets and plain settings infra gives it (settingsCatalog.ts), and its
 * event for run `n` (a new Slack event id or dedupe key each run: the processor skips a message already answered).
 */
interface Case {
  /** `channel`: REVOPS_CHANNEL, as infra sets it on a channel's functions. */
  label: string; bundle: BundleName; channel?: string; secrets: Record<string, string>; settings?: Record<string, string>;
  /** Reaches Firebolt (the stand-in's certificate goes with it). */
  warehouse?: boolean;
  event: (n: number) => Promise<Record<string, unknown>>;
}

const FIREBOLT_SECRETS = { FIREBOLT_CLIENT_ID: FIREBOLT.clientId, FIREBOLT_CLIENT_SECRET: FIREBOLT.clientSecret };
const FIREBOLT_SETTINGS = { REVOPS_WAREHOUSE: 'firebolt', FIREBOLT_ACCOUNT: FIREBOLT.account, FIREBOLT_DATABASE: FIREBOLT.database, FIREBOLT_ENGINE: FIREBOLT.engine };
const message = (kind: string, n: number) => ({ id: `bench-${kind}-${n}`, dedupeKey: `bench-${kind}-${n}`, agent: 'manager', text: 'status of IXIS', receivedAt: new Date(0).toISOString() });
const CASES: Case[] = [
  { label: 'slack-ingress', bundle: 'ingress', channel: 'slack', secrets: SLACK, event: (n) => slackRequest(SIGNING_SECRET, appMention(`Ev0BENCH${n}`)) },
  { label: 'webhook-ingress', bundle: 'ingress', channel: 'webhook', secrets: { WEBHOOK_API_KEYS: API_KEY, ...WEBHOOK_SIGNING }, event: () => webhookRequest(API_KEY) },
  { label: 'processor (slack)', bundle: 'processor', channel: 'slack', secrets: SLACK, event: (n) => sqsBatch({ ...message('slack', n), kind: 'slack', channel: 'slack',
    sessionId: 'C0BENCH:1755361805.000100', slack: { channel: 'C0BENCH', threadTs: '1755361805.000100', user: 'U0BENCH' } }) },
  { label: 'processor (webhook)', bundle: 'processor', channel: 'webhook', secrets: WEBHOOK_SIGNING, event: (n) => sqsBatch({ ...message('webhook', n), kind: 'webhook', channel: 'webhook',
    sessionId: `bench-${n}`, webhook: { trackingId: `bench-${n}`, sourceSystem: 'bench' } }) },
  { label: 'processor (converse)', bundle: 'processor', channel: 'slack', warehouse: true, secrets: { ...SLACK, ...FIREBOLT_SECRETS },
    settings: { ...FIREBOLT_SETTINGS, REVOPS_ENGINE: 'converse' },
    event: (n) => sqsBatch({ ...message('converse', n), kind: 'slack', channel: 'slack',
      sessionId: 'C0BENCH:1755361806.000100', slack: { channel: 'C0BENCH', threadTs: '1755361806.000100', user: 'U0BENCH' } }) },
  { label: 'tool-executor', bundle: 'tool-executor', event: actionGroupEvent, warehouse: true,
    secrets: FIREBOLT_SECRETS, settings: FIREBOLT_SETTINGS },
];

/** What came back, in a few words: the HTTP status, the failed records, the action group's response state. */
function outcome(run: { result?: unknown; threw?: string }): string {
  if (run.threw) return `threw ${run.threw}`;
  const r = run.result as { statusCode?: number; batchItemFailures?: unknown[]; response?: { functionResponse?: { responseState?: string } } };
  if (r?.statusCode) return `HTTP ${r.statusCode}`;
  if (r?.batchItemFailures) return `${r.batchItemFailures.length} record(s) failed`;
  if (r?.response) return `action group ${r.response.functionResponse?.responseState ?? 'success'}`;
  return 'ok';
}

async function bareNode(env: NodeJS.ProcessEnv): Promise<number> {
  const started = performance.now();
  await new Promise((resolve) => spawn(process.execPath, ['-e', ''], { env, stdio: 'ignore' }).on('close', resolve));
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function filesBytes(dir: string, names: string[]): Promise<number> {
  return (await Promise.all(names.map(async (f) => (await stat(join(dir, f))).size))).reduce((a, b) => a + b, 0);
}

interface Row { case: Case; label: string; entry: string; event: string; env: NodeJS.ProcessEnv; loaded: number; deployed: number; cold: number[]; imports: number[]; outcome: string }

export const part: BenchPart = {
  order: 6,
  title: 'Deploy: Lambda bundle size and cold start',
  async run(log) {
    // Always rebuilt: bundles left from an earlier build would measure code that is no longer the source's.
    const bundleDir = join(root, BUNDLE_DIR);
    const failed = (await bundleLambdas(root)).filter((r) => !r.ok);
    if (failed.length) throw new Error(`bundle build failed: ${failed.map((r) => `${r.name}: ${r.ok ? '' : r.error}`).join('; ')}`);
    const dir = await mkdtemp(join(tmpdir(), 'revops-deploy-bench-'));
    const manifest = await ensureManifest(root);
    const runner = await writeRunner(dir, { exitAfterHandler: true });
    await writeFile(join(dir, 'hooks.mjs'), HOOKS);
    await writeFile(join(dir, 'register.mjs'), REGISTER);
    const { path: warehouse } = await seedSampleWarehouse({ out: join(dir, 'warehouse.duckdb'), scale: 400 });
    const firebolt = await startFireboltStandIn({ databaseFile: warehouse, ...FIREBOLT });
    const slackApi = await new SlackApiStandIn().start();
    const answer = 'IXIS-Snowflake Cost Replacement is in Negotiate at 75%, $2.1M, closing this quarter.';
    const bedrock = await new BedrockAgentRuntimeStandIn(answer).start();
    const converse = await new BedrockRuntimeStandIn(answer).start();
    slackApi.recordParams = false;
    const aws = await new AwsStandIn(Object.fromEntries(CASES.flatMap((c) => Object.keys(c.secrets).map((env) => [secretArn(env), c.secrets[env]!]))))
      .start();
    const env = {
      PATH: process.env.PATH, NODE_OPTIONS: '--enable-source-maps', REVOPS_MANIFEST: 'manifest.json',
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_ENDPOINT_URL: aws.url, AWS_MAX_ATTEMPTS: '1',
      REVOPS_ENGINE: 'bedrock-agents', REVOPS_AGENT_ID: 'BENCHAGENT', REVOPS_AGENT_ALIAS_ID: 'BENCHALIAS', REVOPS_QUEUE: 'sqs',
      REVOPS_QUEUE_URL_SLACK: `${aws.url}/123456789012/revops-bench-slack-inbound`,
      REVOPS_QUEUE_URL_WEBHOOK: `${aws.url}/123456789012/revops-bench-webhook-inbound`,
      REVOPS_EXPORT_BUCKET: 'bench', REVOPS_STATUS_BUCKET: 'bench', REVOPS_LOG_LEVEL: 'error', SLACK_API_URL: slackApi.url,
      AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: bedrock.url, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: converse.url,
    };
    const sameMajor = process.versions.node.split('.')[0] === LAMBDA_NODE_RUNTIME.replace(/\D/g, '');
    log(`task roots run on node ${process.versions.node}; Lambda runs ${LAMBDA_NODE_RUNTIME}` +
      (sameMajor ? '' : ' (no Node of that major on this machine: the same bundles, measured on this node)'));
    // The Firebolt stand-in's certificate costs every node start about 20 ms to load: only the functions that reach
    // the warehouse get it (their figures include that, which Lambda does not pay).
    const fireboltEnv = { FIREBOLT_API_ENDPOINT: firebolt.apiEndpoint, NODE_EXTRA_CA_CERTS: firebolt.caFile };
    const rows: Row[] = [];
    for (const [index, c] of CASES.entries()) {
      const taskRoot = join(dir, `${index}-${c.bundle}`);
      const entry = await stageFunction(bundleDir, c.bundle, manifest, taskRoot);
      const event = join(dir, `${index}.event.json`);
      await writeFile(event, JSON.stringify(await c.event(0)));
      const caseEnv = { ...env, ...c.settings, ...(c.warehouse ? fireboltEnv : {}), ...(c.channel ? { REVOPS_CHANNEL: c.channel } : {}), LAMBDA_TASK_ROOT: taskRoot,
        REVOPS_SECRET_ARNS: JSON.stringify(Object.fromEntries(Object.keys(c.secrets).map((name) => [name, secretArn(name)]))) };
      const loadedLog = join(dir, `${index}.loaded`);
      await runFunction(runner, entry, event, { ...caseEnv, LOADED_LOG: loadedLog }, ['--import', pathToFileURL(join(dir, 'register.mjs')).href]);
      const code = dirname(entry);
      const loaded = (await readFile(loadedLog, 'utf8')).split('\n').filter(Boolean).map((u) => fileURLToPath(u))
        .filter((p) => dirname(p) === code).map((p) => p.slice(code.length + 1));
      const deployed = (await readdir(code)).filter((f) => f.endsWith('.mjs'));
      rows.push({ case: c, label: c.label, entry, event, env: caseEnv, loaded: await filesBytes(code, loaded), deployed: await filesBytes(code, deployed),
        cold: [], imports: [], outcome: '' });
    }
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      bare.push(await bareNode(env));
      for (const row of rows) {
        await writeFile(row.event, JSON.stringify(await row.case.event(i + 1)));
        const run = await runFunction(runner, row.entry, row.event, row.env);
        row.cold.push(run.ms);
        row.imports.push(run.importMs);
        row.outcome = outcome(run);
      }
    }
    await slackApi.stop();
    await aws.stop();
    await bedrock.stop();
    await converse.stop();
    await firebolt.close();
    const served = (counts: Map<string, number>) => [...counts].map(([call, n]) => `${call} ${n}`).join(', ');
    log(`stand-ins served: ${served(aws.counts)}; bedrock-agent-runtime.InvokeAgent ${bedrock.calls.length}; bedrock-runtime.Converse ${converse.calls.length}; ` +
      `slack ${served(slackApi.counts)}; firebolt queries ${firebolt.requests.length}`);
    const bareMs = median(bare);
    log(`bare node -e '': ${bareMs.toFixed(0)} ms (median of ${RUNS}; min ${Math.min(...bare).toFixed(0)}, max ${Math.max(...bare).toFixed(0)})`);
    for (const row of rows) {
      const extra = median(row.cold) - bareMs;
      log(`${row.label.padEnd(20)} loaded ${(row.loaded / MB).toFixed(2)} MB ${row.loaded < 2 * MB ? 'ok' : 'OVER 2 MB'} ` +
        `(deployed ${(row.deployed / MB).toFixed(2)} MB)   cold start ${median(row.cold).toFixed(0)} ms ` +
        `[${Math.min(...row.cold).toFixed(0)}-${Math.max(...row.cold).toFixed(0)}] ` +
        `(+${extra.toFixed(0)} ms over bare node, ${extra < 300 ? 'ok' : 'OVER 300 ms'}; import ${median(row.imports).toFixed(0)} ms; ` +
        `handler: ${row.outcome})`);
    }
  },
};
