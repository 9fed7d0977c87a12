/**
 * The BUILT Lambda functions (what `npm run build` writes and infra ships), each run alone in a task root with no
 * node_modules, as on Lambda: they must import nothing but Node built-ins and their own chunks (an external DuckDB
 * import once made every bundle fail to load there), and each must handle its event end to end, code split chunks and
 * the parts built on first use included. AWS and Slack are loopback stand-ins the real clients talk to.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleLambdas } from '../../../infra/bundle.ts';
import { LAMBDA_BUNDLES, type BundleName } from '../../../infra/bundles.ts';
import { fixtureManifest } from '../../infra/fixtures/manifest.ts';
import { SlackApiStandIn } from '../../support/slackApiStandIn.ts';
import { AwsStandIn } from '../../support/awsStandIn.ts';
import { BedrockAgentRuntimeStandIn } from '../../support/bedrockAgentRuntimeStandIn.ts';
import { actionGroupEvent, appMention, runFunction, slackRequest, sqsBatch, stageFunction, webhookRequest, writeRunner } from './bundleHarness.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const API_KEY = 'test-key-0123456789abcdef';
const SIGNING_SECRET = 'test-signing-secret';
const arn = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}`;
/** node-fetch 2 (firebolt-sdk's HTTP client) tries `require('encoding')` for non-UTF-8 bodies and goes on without it. */
const OPTIONAL_REQUIRES = ['encoding'];
const SECRETS = { WEBHOOK_API_KEYS: API_KEY, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-test' };

let dir: string;
let bundleDir: string;
let manifestPath: string;
let runner: string;
let aws: AwsStandIn;
let slack: SlackApiStandIn;
let bedrock: BedrockAgentRuntimeStandIn;
const ANSWER = '**IXIS-Snowflake Cost Replacement** is in Negotiate at 75%, $2.1M, closing this quarter.';
let env: NodeJS.ProcessEnv;
let runs = 0;

/** Runs `bundle` alone in a fresh task root, for `channel` (REVOPS_CHANNEL, as infra sets it) with the secrets it is given, on one event. */
async function run(bundle: BundleName, channel: string | undefined, secrets: Array<keyof typeof SECRETS>, event: Record<string, unknown>) {
  runs += 1;
  const taskRoot = join(dir, `task-${runs}`);
  const entry = await stageFunction(bundleDir, bundle, manifestPath, taskRoot);
  const eventPath = join(dir, `event-${runs}.json`);
  await writeFile(eventPath, JSON.stringify(event));
  const arns = JSON.stringify(Object.fromEntries(secrets.map((s) => [s, arn(s)])));
  const result = await runFunction(runner, entry, eventPath, {
    ...env, LAMBDA_TASK_ROOT: taskRoot, REVOPS_SECRET_ARNS: arns, ...(channel ? { REVOPS_CHANNEL: channel } : {}),
  });
  if (result.threw || result.result === undefined) throw new Error(`${bundle} failed: ${result.threw}\n${result.stderr}`);
  return result.result as Record<string, unknown>;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-bundles-'));
  bundleDir = join(dir, 'dist');
  const reports = await bundleLambdas(root, bundleDir);
  expect(reports.filter((r) => !r.ok)).toEqual([]);
  manifestPath = join(dir, 'manifest.json');
  await writeFile(manifestPath, JSON.stringify(fixtureManifest()));
  runner = await writeRunner(dir);
  aws = await new AwsStandIn(Object.fromEntries(Object.entries(SECRETS).map(([name, value]) => [arn(name), value]))).start();
  slack = await new SlackApiStandIn().start();
  bedrock = await new BedrockAgentRuntimeStandIn(ANSWER).start();
  env = {
    PATH: process.env.PATH, REVOPS_MANIFEST: 'manifest.json', AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: aws.url, AWS_MAX_ATTEMPTS: '1', REVOPS_ENGINE: 'bedrock-agents',
    REVOPS_AGENT_ID: 'AGENT00001', REVOPS_AGENT_ALIAS_ID: 'ALIAS00001', REVOPS_QUEUE: 'sqs',
    REVOPS_QUEUE_URL_SLACK: `${aws.url}/123456789012/slack-inbound`, REVOPS_QUEUE_URL_WEBHOOK: `${aws.url}/123456789012/webhook-inbound`,
    REVOPS_EXPORT_BUCKET: 'exports', REVOPS_STATUS_BUCKET: 'exports', REVOPS_LOG_LEVEL: 'error', SLACK_API_URL: slack.url,
    AWS_ENDPOINT_URL_BEDROCK_AGENT_RUNTIME: bedrock.url,
  };
});

afterAll(async () => {
  await slack?.stop();
  await aws?.stop();
  await bedrock?.stop();
});

describe('built Lambda functions, each alone in a task root without node_modules', () => {
  it.each(Object.keys(LAMBDA_BUNDLES) as BundleName[])('%s imports only Node built-ins and its own chunks', async (name) => {
    const metafile = JSON.parse(await readFile(join(bundleDir, `${name}.meta.json`), 'utf8')) as Metafile;
    const external = Object.values(metafile.inputs).flatMap((input) => input.imports.filter((i) => i.external));
    expect(external.length).toBeGreaterThan(0);
    const missing = external.filter((i) => !isBuiltin(i.path));
    // require() calls of optional packages, made inside try/catch by their callers, fail softly without node_modules.
    expect(missing.filter((i) => !(i.kind === 'require-call' && OPTIONAL_REQUIRES.includes(i.path)))).toEqual([]);
  });

  it.each(Object.keys(LAMBDA_BUNDLES) as BundleName[])('every chunk of %s loads alone in its task root', async (name) => {
    // A package reached through createRequire is not bundled: the import check above cannot see it, and on Lambda,
    // without node_modules, the chunk that requires it at load fails, however rarely that chunk is reached.
    const taskRoot = await mkdtemp(join(dir, `load-${name}-`));
    await stageFunction(bundleDir, name, manifestPath, taskRoot);
    const chunks = (await readdir(join(taskRoot, 'function'))).filter((f) => /^chunk-.*\.mjs$/u.test(f));
    expect(chunks.length).toBeGreaterThan(0);
    const load = chunks.map((f) => `await import(${JSON.stringify(pathToFileURL(join(taskRoot, 'function', f)).href)});`).join('');
    await expect(promisify(execFile)(process.execPath, ['--input-type=module', '-e', load], { cwd: taskRoot, env: { PATH: process.env.PATH } }))
      .resolves.toBeDefined();
  });

  it('webhook ingress enqueues an authenticated request on SQS and writes its status to S3', async () => {
    const before = aws.counts.get('sqs.SendMessage') ?? 0;
    const response = await run('ingress', 'webhook', ['WEBHOOK_API_KEYS'], await webhookRequest(API_KEY));
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body as string) as { tracking_id: string; status: string };
    expect(body.status).toBe('queued');
    expect(aws.counts.get('sqs.SendMessage')).toBe(before + 1);
    expect([...aws.objects.keys()].some((k) => k.endsWith(`/status/${body.tracking_id}.json`))).toBe(true);
  });

  it('webhook ingress refuses a request without its API key', async () => {
    const request = await webhookRequest(API_KEY);
    delete (request.headers as Record<string, string>).authorization;
    expect((await run('ingress', 'webhook', ['WEBHOOK_API_KEYS'], request)).statusCode).toBe(401);
  });

  it('Slack ingress acknowledges a signed mention once it is on the queue, and refuses a bad signature', async () => {
    const before = aws.counts.get('sqs.SendMessage') ?? 0;
    const response = await run('ingress', 'slack', ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'], await slackRequest(SIGNING_SECRET, appMention('Ev0BUNDLE1')));
    expect(response.statusCode).toBe(200);
    expect(aws.counts.get('sqs.SendMessage')).toBe(before + 1);
    const forged = await slackRequest('not-the-secret', appMention('Ev0BUNDLE2'));
    expect((await run('ingress', 'slack', ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'], forged)).statusCode).toBe(401);
    expect(aws.counts.get('sqs.SendMessage')).toBe(before + 1);
  });

  it('processor asks the deployed agent (InvokeAgent over HTTP/2) and answers a Slack message in its thread, once', async () => {
    const message = {
      kind: 'slack', id: 'bundle-slack-1', dedupeKey: 'Ev0BUNDLE3', channel: 'slack', agent: 'manager', text: 'status of IXIS',
      sessionId: 'C0TEST:1755361805.000100', receivedAt: new Date().toISOString(),
      slack: { channel: 'C0TEST', threadTs: '1755361805.000100', user: 'U0ASKER' },
    };
    const result = await run('processor', 'slack', ['SLACK_SIGNING_SECRET', 'SLACK_BOT_TOKEN'], await sqsBatch(message));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(bedrock.calls).toEqual([expect.objectContaining({ agentId: 'AGENT00001', agentAliasId: 'ALIAS00001' })]);
    expect(bedrock.calls[0]?.inputText).toContain('status of IXIS');
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.params.thread_ts === '1755361805.000100');
    expect(posts.every((c) => c.params.channel === 'C0TEST')).toBe(true);
    const texts = posts.map((c) => String(c.params.text));
    // The trace became progress (the delegation) and the answer chunk the reply, converted to mrkdwn.
    expect(texts.some((t) => t.includes('Routing to Deal Analysis'))).toBe(true);
    expect(texts.filter((t) => t.includes('IXIS-Snowflake Cost Replacement*\u200b is in Negotiate at 75%, $2.1M'))).toHaveLength(1);
    expect([...aws.objects.keys()].some((k) => k.endsWith('/done/Ev0BUNDLE3'))).toBe(true);
    const exported = [...aws.objects].find(([k]) => k.endsWith('/conversation.json'))?.[1];
    expect(JSON.parse(exported ?? '{}')).toMatchObject({ response_content: { status: 'done', text: ANSWER } });
    expect(exported).toContain('deal_analysis');
  });

  it('tool executor answers an action-group call for a function it lacks with the documented FAILURE', async () => {
    const event = { ...(await actionGroupEvent()), function: 'no_such_tool' };
    const result = await run('tool-executor', undefined, [], event) as { response: { actionGroup: string; function: string; functionResponse: { responseState?: string } } };
    expect(result.response.actionGroup).toBe('warehouse');
    expect(result.response.function).toBe('no_such_tool');
    expect(result.response.functionResponse.responseState).toBe('FAILURE');
  });
});
