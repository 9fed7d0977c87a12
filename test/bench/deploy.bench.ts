/**
 * Deploy bench: each Lambda function's size and its cold start — a fresh `node` process that imports the bundle and
 * handles one sample event — next to a bare `node -e ''` start in the same run; medians of RUNS. Targets (issue 6):
 * each bundle under 2 MB, cold start under 300 ms more than bare node.
 *
 * Each function runs as Lambda runs it: its folder copied alone into a temporary task root (no node_modules to fall
 * back on), the manifest beside it, NODE_OPTIONS as infra sets it, its secrets read from Secrets Manager at cold
 * start. Events do the real work: the webhook request carries its API key and the Slack request a valid signature,
 * so both are enqueued; the processors answer a message (the engine's InvokeAgent is refused, so the answer is the
 * engine's error) through the Slack or webhook delivery. AWS and the Slack Web API are loopback stand-ins
 * (test/lambda/awsStandIn.ts, test/runtime/slack/slackApiStandIn.ts); the tool executor's Firebolt login has no
 * stand-in and fails, so its figure covers loading, secrets and the refusal.
 * "Loaded" is every file of the function the process reads (entry plus the chunks it imports), recorded in a separate
 * untimed run; "deployed" is the whole folder.
 */
import { createHmac } from 'node:crypto';
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleLambdas } from '../../infra/bundle.ts';
import { BUNDLE_DIR, BUNDLE_ENTRY, type BundleName, bundlesBuilt } from '../../infra/bundles.ts';
import { ensureManifest } from '../../infra/manifestSource.ts';
import { AwsStandIn } from '../lambda/awsStandIn.ts';
import { SlackApiStandIn } from '../runtime/slack/slackApiStandIn.ts';
import type { BenchPart } from './run.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = join(root, 'test', 'lambda', 'fixtures');
const RUNS = 7;
const MB = 1024 * 1024;
const API_KEY = 'bench-key-0123456789abcdef';
const SIGNING_SECRET = 'bench-signing-secret';

/** Imports the bundle, handles one event, prints timings and what came back; never throws. */
const RUNNER = `
const t0 = performance.now();
const { handler } = await import(process.argv[2]);
const t1 = performance.now();
const event = JSON.parse(await (await import('node:fs/promises')).readFile(process.argv[3], 'utf8'));
let outcome;
try {
  const r = await handler(event, {});
  outcome = r?.statusCode ? 'HTTP ' + r.statusCode
    : r?.batchItemFailures ? r.batchItemFailures.length + ' of ' + event.Records.length + ' records failed'
    : r?.response ? 'action group ' + (r.response.functionResponse?.responseState ?? 'success') : 'ok';
} catch (error) { outcome = 'threw ' + (error?.code ?? error?.name); }
console.log(JSON.stringify({ importMs: t1 - t0, handleMs: performance.now() - t1, outcome }));
`;

/** Module hooks for the untimed run: append every file URL the loader loads to LOADED_LOG. */
const HOOKS = `
import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.LOADED_LOG, url + '\\n');
  return next(url, context);
}`;
const REGISTER = `import { register } from 'node:module'; register('./hooks.mjs', import.meta.url);`;

const slackRequest = (): { body: string; headers: Record<string, string> } => {
  const body = JSON.stringify({
    type: 'event_callback', team_id: 'T0BENCH', api_app_id: 'A0BENCH', event_id: 'Ev0BENCH', event_time: 1755361805,
    event: { type: 'app_mention', user: 'U0BENCH', text: '<@U0BOT> what is the status of the IXIS deal?', ts: '1755361805.000100', channel: 'C0BENCH' },
  });
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return { body, headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature } };
};

/**
 * One deployed function: its bundle, the secrets infra gives it (settingsCatalog.ts; read from the Secrets Manager
 * stand-in at cold start as on AWS), its plain settings, and the event it handles.
 */
interface Case {
  label: string; bundle: BundleName; secrets: Record<string, string>; settings?: Record<string, string>;
  event: () => Promise<Record<string, unknown>>;
}

const read = async (file: string) => JSON.parse(await readFile(join(fixtures, file), 'utf8')) as Record<string, unknown>;
const SLACK = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-bench' };
const secretArn = (env: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:revops-bench-${env}`;

async function sqsEvent(message: Record<string, unknown>): Promise<Record<string, unknown>> {
  const event = await read('sqs-event.json');
  const base = { id: 'bench', dedupeKey: 'bench', agent: 'manager', text: 'status of IXIS', receivedAt: new Date(0).toISOString() };
  event.Records = (event.Records as Array<Record<string, unknown>>).slice(0, 1).map((r) => ({ ...r, body: JSON.stringify({ ...base, ...message }) }));
  return event;
}

async function httpEvent(slack: boolean): Promise<Record<string, unknown>> {
  const event = await read('apigw-v2-webhook-post.json');
  const headers = event.headers as Record<string, string>;
  if (!slack) return { ...event, headers: { ...headers, authorization: `Bearer ${API_KEY}` } };
  const request = slackRequest();
  return { ...event, rawPath: '/slack/events', routeKey: 'POST /slack/events', body: request.body, headers: { ...headers, ...request.headers },
    requestContext: { ...(event.requestContext as object), http: { method: 'POST', path: '/slack/events', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7' } } };
}

const CASES: Case[] = [
  { label: 'slack-ingress', bundle: 'slack-ingress', secrets: SLACK, event: () => httpEvent(true) },
  { label: 'webhook-ingress', bundle: 'webhook-ingress', secrets: { WEBHOOK_API_KEYS: API_KEY }, event: () => httpEvent(false) },
  { label: 'processor (slack)', bundle: 'processor', secrets: SLACK, event: () => sqsEvent({
    kind: 'slack', channel: 'slack', sessionId: 'C0BENCH:1755361805.000100', slack: { channel: 'C0BENCH', threadTs: '1755361805.000100', user: 'U0BENCH' },
  }) },
  { label: 'processor (webhook)', bundle: 'processor', secrets: {}, event: () => sqsEvent({
    kind: 'webhook', channel: 'webhook', sessionId: 'bench', webhook: { trackingId: 'bench', sourceSystem: 'bench' },
  }) },
  { label: 'tool-executor', bundle: 'tool-executor', secrets: {}, settings: { REVOPS_WAREHOUSE: 'firebolt' },
    event: () => read('bedrock-action-group-event.json') },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Asynchronous, so the Slack stand-in in this process can answer the child. */
async function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  await new Promise((resolve) => child.on('close', resolve));
  return { ms: performance.now() - started, stdout: stdout.trim().split('\n').pop() ?? '' };
}

async function folderBytes(dir: string, only?: Set<string>): Promise<number> {
  const files = (await readdir(dir)).filter((f) => !only || only.has(f));
  return (await Promise.all(files.map(async (f) => (await stat(join(dir, f))).size))).reduce((a, b) => a + b, 0);
}

interface Row { label: string; taskRoot: string; event: string; env: NodeJS.ProcessEnv; loaded: number; deployed: number; cold: number[]; imports: number[]; outcome: string }

export const part: BenchPart = {
  order: 6,
  title: 'Deploy: Lambda bundle size and cold start',
  async run(log) {
    const bundleDir = join(root, BUNDLE_DIR);
    if (!bundlesBuilt(bundleDir)) {
      log('building dist/lambda (npm run build) ...');
      for (const r of await bundleLambdas(root)) if (!r.ok) log(`  ${r.name}: build failed: ${r.error}`);
    }
    const dir = await mkdtemp(join(tmpdir(), 'revops-deploy-bench-'));
    const manifest = await ensureManifest(root);
    await writeFile(join(dir, 'runner.mjs'), RUNNER);
    await writeFile(join(dir, 'hooks.mjs'), HOOKS);
    await writeFile(join(dir, 'register.mjs'), REGISTER);
    const slackApi = await new SlackApiStandIn().start();
    slackApi.recordParams = false;
    const aws = await new AwsStandIn(Object.fromEntries(CASES.flatMap((c) => Object.entries(c.secrets))
      .map(([env, value]) => [secretArn(env), value]))).start();
    const env = {
      PATH: process.env.PATH, NODE_OPTIONS: '--enable-source-maps', REVOPS_MANIFEST: 'manifest.json',
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench', AWS_ENDPOINT_URL: aws.url, AWS_MAX_ATTEMPTS: '1',
      REVOPS_ENGINE: 'bedrock-agents', REVOPS_AGENT_ID: 'BENCHAGENT', REVOPS_AGENT_ALIAS_ID: 'BENCHALIAS', REVOPS_QUEUE: 'sqs',
      REVOPS_QUEUE_URL_SLACK: `${aws.url}/123456789012/revops-bench-slack-inbound`,
      REVOPS_QUEUE_URL_WEBHOOK: `${aws.url}/123456789012/revops-bench-webhook-inbound`,
      REVOPS_EXPORT_BUCKET: 'bench', REVOPS_STATUS_BUCKET: 'bench', REVOPS_LOG_LEVEL: 'error', SLACK_API_URL: slackApi.url,
    };
    const rows: Row[] = [];
    for (const [index, c] of CASES.entries()) {
      const taskRoot = join(dir, `${index}-${c.bundle}`);
      await cp(join(bundleDir, c.bundle), taskRoot, { recursive: true });
      await cp(manifest, join(taskRoot, 'manifest.json'));
      const event = join(dir, `${index}.event.json`);
      await writeFile(event, JSON.stringify(await c.event()));
      const caseEnv = { ...env, ...c.settings, LAMBDA_TASK_ROOT: taskRoot,
        REVOPS_SECRET_ARNS: JSON.stringify(Object.fromEntries(Object.keys(c.secrets).map((name) => [name, secretArn(name)]))) };
      const loadedLog = join(dir, `${index}.loaded`);
      await runNode(['--import', pathToFileURL(join(dir, 'register.mjs')).href, join(dir, 'runner.mjs'), join(taskRoot, BUNDLE_ENTRY), event],
        { ...caseEnv, LOADED_LOG: loadedLog });
      const loadedFiles = (await readFile(loadedLog, 'utf8')).split('\n').filter(Boolean).map((u) => fileURLToPath(u))
        .filter((p) => p.startsWith(taskRoot)).map((p) => p.slice(taskRoot.length + 1));
      rows.push({ label: c.label, taskRoot, event, env: caseEnv, loaded: await folderBytes(taskRoot, new Set(loadedFiles)),
        deployed: await folderBytes(taskRoot, new Set((await readdir(taskRoot)).filter((f) => f.endsWith('.mjs')))), cold: [], imports: [], outcome: '' });
    }
    const bare: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      bare.push((await runNode(['-e', ''], env)).ms);
      for (const row of rows) {
        const { ms, stdout } = await runNode([join(dir, 'runner.mjs'), join(row.taskRoot, BUNDLE_ENTRY), row.event], row.env);
        const parsed = JSON.parse(stdout || '{"importMs":NaN,"outcome":"no output"}') as { importMs: number; outcome: string };
        row.cold.push(ms);
        row.imports.push(parsed.importMs);
        row.outcome = parsed.outcome;
      }
    }
    await slackApi.stop();
    await aws.stop();
    const served = (counts: Map<string, number>) => [...counts].map(([call, n]) => `${call} ${n}`).join(', ');
    log(`stand-ins served: ${served(aws.counts)}; slack ${served(slackApi.counts)}`);
    const bareMs = median(bare);
    log(`bare node -e '': ${bareMs.toFixed(0)} ms (median of ${RUNS}; min ${Math.min(...bare).toFixed(0)}, max ${Math.max(...bare).toFixed(0)})`);
    for (const row of rows) {
      const extra = median(row.cold) - bareMs;
      log(`${row.label.padEnd(20)} loaded ${(row.loaded / MB).toFixed(2)} MB ${row.loaded < 2 * MB ? 'ok' : 'OVER 2 MB'} ` +
        `(deployed ${(row.deployed / MB).toFixed(2)} MB)   cold start ${median(row.cold).toFixed(0)} ms ` +
        `(+${extra.toFixed(0)} ms over bare node, ${extra < 300 ? 'ok' : 'OVER 300 ms'}; import ${median(row.imports).toFixed(0)} ms; ` +
        `handler: ${row.outcome})`);
    }
  },
};
