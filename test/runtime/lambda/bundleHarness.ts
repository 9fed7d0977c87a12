/**
 * Runs a BUILT Lambda function the way Lambda does: its folder copied alone into a task root (no node_modules above
 * it to fall back on), the manifest beside it, a fresh `node` that imports `function/index.mjs` and calls `handler`
 * with one event. Shared by the bundle tests (what comes back) and the deploy bench (how long it takes), together
 * with the events both send: API Gateway v2 requests (a webhook call, a signed Slack event) and SQS batches.
 */
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BUNDLE_ENTRY, type BundleName } from '../../../infra/bundles.ts';

const fixtures = new URL('./fixtures/', import.meta.url);
const fixture = async (name: string) => JSON.parse(await readFile(new URL(name, fixtures), 'utf8')) as Record<string, unknown>;

/**
 * Imports the bundle, handles one event, prints timings and the handler's result (or what it threw). With EXIT the
 * process ends right there, as a Lambda invocation does when its handler resolves (the sandbox is frozen; timers and
 * unawaited work do not hold the response); without it, work the handler left running finishes first.
 */
const runner = (exit: boolean) => `
const t0 = performance.now();
const { handler } = await import(process.argv[2]);
const t1 = performance.now();
const event = JSON.parse(await (await import('node:fs/promises')).readFile(process.argv[3], 'utf8'));
let outcome;
try { outcome = { result: await handler(event, {}) }; } catch (error) { outcome = { threw: String(error?.code ?? error?.name ?? error) }; }
console.log(JSON.stringify({ importMs: t1 - t0, handleMs: performance.now() - t1, ...outcome }));
${exit ? 'process.exit(0);' : ''}
`;

export interface FunctionRun {
  /** Wall time of the whole process, node's own start included. */
  ms: number;
  importMs: number;
  handleMs: number;
  result?: unknown;
  threw?: string;
  stderr: string;
}

/** Writes the runner into `dir`; returns its path. `exitAfterHandler`: see the runner above. */
export async function writeRunner(dir: string, options: { exitAfterHandler?: boolean } = {}): Promise<string> {
  const path = join(dir, options.exitAfterHandler ? 'runner-exit.mjs' : 'runner.mjs');
  await writeFile(path, runner(options.exitAfterHandler ?? false));
  return path;
}

/** Lays a function out as its code archive does (infra/components/runtimeFunction.ts); returns the handler file. */
export async function stageFunction(bundleDir: string, bundle: BundleName, manifestPath: string, taskRoot: string): Promise<string> {
  await cp(join(bundleDir, bundle), join(taskRoot, 'function'), { recursive: true });
  await cp(manifestPath, join(taskRoot, 'manifest.json'));
  return join(taskRoot, 'function', BUNDLE_ENTRY);
}

/** Runs `node [nodeArgs] runner entry event` and parses the runner's line. Asynchronous, so stand-ins in this process can answer. */
export async function runFunction(runner: string, entry: string, eventPath: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []):
  Promise<FunctionRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, runner, entry, eventPath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
  await new Promise((resolve) => child.on('close', resolve));
  const ms = performance.now() - started;
  const line = stdout.trim().split('\n').pop() ?? '';
  try {
    return { ms, stderr, ...(JSON.parse(line) as Omit<FunctionRun, 'ms' | 'stderr'>) };
  } catch {
    return { ms, stderr, importMs: Number.NaN, handleMs: Number.NaN, threw: `no result (stdout: ${line.slice(0, 200)})` };
  }
}

export async function webhookRequest(apiKey: string): Promise<Record<string, unknown>> {
  const event = await fixture('apigw-v2-webhook-post.json');
  return { ...event, headers: { ...(event.headers as Record<string, string>), authorization: `Bearer ${apiKey}` } };
}

/** A Slack Events API request to `POST /slack/events`, signed as Slack signs it (v0 HMAC over `v0:ts:body`). */
export async function slackRequest(signingSecret: string, payload: Record<string, unknown>): Promise<Record<string, unknown>> {
  const event = await fixture('apigw-v2-webhook-post.json');
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex')}`;
  return {
    ...event, rawPath: '/slack/events', routeKey: 'POST /slack/events', body,
    headers: { ...(event.headers as Record<string, string>), 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
    requestContext: { ...(event.requestContext as object), http: { method: 'POST', path: '/slack/events', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7' } },
  };
}

export const appMention = (eventId: string) => ({
  type: 'event_callback', team_id: 'T0TEST', api_app_id: 'A0TEST', event_id: eventId, event_time: 1755361805,
  event: { type: 'app_mention', user: 'U0ASKER', text: '<@U0BOT> what is the status of the IXIS deal?', ts: '1755361805.000100', channel: 'C0TEST' },
});

/** An SQS batch of one record whose body is `message`. */
export async function sqsBatch(message: Record<string, unknown>): Promise<Record<string, unknown>> {
  const event = await fixture('sqs-event.json');
  const [record] = event.Records as Array<Record<string, unknown>>;
  return { ...event, Records: [{ ...record, body: JSON.stringify(message) }] };
}

export const actionGroupEvent = () => fixture('bedrock-action-group-event.json');
