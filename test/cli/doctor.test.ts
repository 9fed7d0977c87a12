/**
 * `revops doctor` against loopback stand-ins for everything a deployment talks to: the Slack Web API
 * (slackApiStandIn.ts), AWS (doctorAwsStandIn.ts: SQS, S3, Secrets Manager, Bedrock), a webhook receiver, the
 * sample warehouse (DuckDB) and Firebolt (fireboltStandIn.ts, through the real firebolt-sdk in a child process).
 * All green when configured; each misconfiguration named with its fix.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Manifest } from '../../compiler/manifest.ts';
import { command } from '../../runtime/cli/doctor.ts';
import type { CheckOutcome } from '../../runtime/doctor/doctorCheck.ts';
import { tablesRead } from '../../runtime/doctor/sqlTables.ts';
import { seedSampleWarehouse } from '../../runtime/warehouse/sample/createSampleWarehouse.ts';
import { fixtureManifest } from '../infra/fixtures/manifest.ts';
import { repoRoot } from '../infra/planHelpers.ts';
import { SlackApiStandIn } from '../runtime/slack/slackApiStandIn.ts';
import { type FireboltStandIn, startFireboltStandIn } from '../warehouse/fireboltStandIn.ts';
import { DoctorAwsStandIn } from './doctorAwsStandIn.ts';

const run = promisify(execFile);
let dir: string;
let slack: SlackApiStandIn;
let aws: DoctorAwsStandIn;
let receiver: Server;
let manifestPath: string;
let manifest: Manifest;
let baseEnv: Record<string, string>;

const SECRET = (name: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-doctor-'));
  await seedSampleWarehouse({ out: join(dir, 'warehouse.duckdb'), scale: 20 });
  slack = await new SlackApiStandIn().start();
  aws = await new DoctorAwsStandIn().start();
  receiver = createServer((_req, res) => {
    res.writeHead(405);
    res.end('POST only');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  manifest = fixtureManifest();
  manifest.tools.push({
    name: 'notify', kind: 'webhook', description: 'Notify', task: 'Notify', group: 'actions', maxRows: 1, timeoutMs: 5000, maxResultChars: 2000, retries: 0, effect: 'notify', approval: 'required',
    parameters: [{ name: 'url', type: 'string', required: false, description: 'Where', default: `${hook}/hooks/revops` }],
    allow: [`${hook}/hooks/`], source: 'specs/tools/notify.yaml',
  });
  manifestPath = join(dir, 'manifest.json');
  await writeFile(manifestPath, JSON.stringify(manifest));
});
afterAll(async () => {
  await slack.stop();
  await aws.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  aws.queues.clear();
  aws.buckets.clear();
  aws.secrets.clear();
  aws.models.clear();
  aws.agents.clear();
  const slackQueue = aws.addQueue('revops-prod-slack-inbound');
  const webhookQueue = aws.addQueue('revops-prod-webhook-inbound');
  aws.buckets.set('revops-exports', { listable: true });
  aws.secrets.set(SECRET('bot'), 'xoxb-test-token');
  aws.secrets.set(SECRET('signing'), 'signing-secret');
  for (const model of new Set(manifest.agents.map((a) => a.model ?? manifest.defaults.model))) aws.models.add(model);
  baseEnv = {
    AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: aws.url, AWS_ENDPOINT_URL_BEDROCK_RUNTIME: aws.runtimeUrl,
    SLACK_API_URL: slack.url, REVOPS_ENGINE: 'converse', REVOPS_QUEUE: 'sqs',
    REVOPS_QUEUE_URL_SLACK: slackQueue.url, REVOPS_QUEUE_URL_WEBHOOK: webhookQueue.url,
    REVOPS_EXPORT_BUCKET: 'revops-exports', REVOPS_EXPORT_PREFIX: 'conversation-history/',
    REVOPS_WAREHOUSE_PATH: join(dir, 'warehouse.duckdb'),
    REVOPS_SECRET_ARNS: JSON.stringify({ SLACK_BOT_TOKEN: SECRET('bot'), SLACK_SIGNING_SECRET: SECRET('signing') }),
  };
});

async function doctor(env: Record<string, string>, args: string[] = []): Promise<{ code: number; checks: CheckOutcome[]; text: string }> {
  const out: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: () => {}, isTTY: false, env, cwd: dir };
  const code = await command.run(['--json', '--manifest', manifestPath, ...args], io);
  const { checks } = JSON.parse(out.join('')) as { checks: CheckOutcome[] };
  const text: string[] = [];
  await command.run(['--manifest', manifestPath, ...args], { ...io, stdout: (t: string) => void text.push(t) });
  return { code, checks, text: text.join('\n') };
}
const named = (checks: CheckOutcome[], part: string): CheckOutcome => {
  const found = checks.find((c) => c.name.includes(part));
  if (!found) throw new Error(`no check named like ${part}: ${checks.map((c) => c.name).join(', ')}`);
  return found;
};

describe('revops doctor', () => {
  it('is all green on a configured deployment, and exits 0', async () => {
    const { code, checks, text } = await doctor(baseEnv);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    expect(code).toBe(0);
    for (const part of ['secrets', 'slack bot token', 'slack signing secret', 'warehouse connect', 'warehouse schema', 'bedrock model',
      'sqs queue slack', 'sqs queue webhook', 's3 bucket revops-exports', 'webhook receiver of notify']) expect(named(checks, part).ok).toBe(true);
    expect(named(checks, 'warehouse schema').detail).toContain('opportunities');
    expect(slack.callsOf('auth.test')[0]!.token).toBe('xoxb-test-token');
    expect(text).toContain('checks passed');
  });

  it('names a bad Slack token with its fix', async () => {
    slack.fail('auth.test', { error: 'invalid_auth' }, 2);
    const { code, checks, text } = await doctor(baseEnv);
    expect(code).toBe(1);
    expect(named(checks, 'slack bot token')).toMatchObject({ ok: false, detail: expect.stringContaining('invalid_auth'), fix: expect.stringContaining('SLACK_BOT_TOKEN') });
    expect(text).toMatch(/FAIL {2}slack bot token[^\n]*invalid_auth\n\s+fix: set SLACK_BOT_TOKEN/u);
  });

  it('names an unreachable warehouse with its fix', async () => {
    const env = { ...baseEnv, REVOPS_WAREHOUSE: 'firebolt', FIREBOLT_API_ENDPOINT: 'https://127.0.0.1:9', FIREBOLT_CLIENT_ID: 'id', FIREBOLT_CLIENT_SECRET: 'secret',
      FIREBOLT_ACCOUNT: 'revops', FIREBOLT_DATABASE: 'dwh', FIREBOLT_ENGINE: 'analytics' };
    const { code, checks } = await doctor(env);
    expect(code).toBe(1);
    expect(named(checks, 'warehouse connect (Firebolt')).toMatchObject({ ok: false, fix: expect.stringContaining('FIREBOLT_CLIENT_ID') });
  });

  it('names a missing queue, and a dead-letter queue holding messages', async () => {
    const missing = await doctor({ ...baseEnv, REVOPS_QUEUE_URL_WEBHOOK: `${aws.url}/123456789012/revops-prod-nope` });
    expect(named(missing.checks, 'sqs queue webhook')).toMatchObject({ ok: false, detail: expect.stringContaining('does not exist'), fix: expect.stringContaining('REVOPS_QUEUE_URL_WEBHOOK') });
    aws.queues.get('revops-prod-slack-inbound-dlq')!.messages = 2;
    const dead = await doctor(baseEnv);
    expect(named(dead.checks, 'sqs queue slack')).toMatchObject({ ok: false, detail: '2 message(s) in dead-letter queue revops-prod-slack-inbound-dlq', fix: expect.stringContaining('start-message-move-task') });
  });

  it('passes a listable bucket whose GET of a missing key answers 403, as the stores read it as missing', async () => {
    aws.buckets.set('revops-exports', { listable: true, missingKey: 403 });
    const { checks } = await doctor(baseEnv);
    expect(named(checks, 's3 bucket')).toMatchObject({ ok: true, detail: expect.stringContaining('a missing key reads as missing') });
  });

  it('names a bucket without list permission with the s3:ListBucket fix', async () => {
    aws.buckets.set('revops-exports', { listable: false });
    const { code, checks } = await doctor(baseEnv);
    expect(code).toBe(1);
    expect(named(checks, 's3 bucket')).toMatchObject({ ok: false, detail: expect.stringContaining('access denied to list'), fix: expect.stringContaining('s3:ListBucket on arn:aws:s3:::revops-exports') });
  });

  it('names a model the account may not invoke, and an unresolvable secret', async () => {
    aws.models.clear();
    aws.secrets.delete(SECRET('signing'));
    const { checks } = await doctor(baseEnv);
    expect(named(checks, `bedrock model ${manifest.defaults.model}`)).toMatchObject({ ok: false, detail: expect.stringContaining('AccessDenied'), fix: expect.stringContaining('bedrock:InvokeModel') });
    expect(named(checks, 'secrets')).toMatchObject({ ok: false, detail: expect.stringContaining('SLACK_SIGNING_SECRET'), fix: expect.stringContaining('pulumi config set --secret') });
  });

  it('on bedrock-agents checks the entry agent and its alias from the stack outputs', async () => {
    aws.agents.set('AGENT00001', { status: 'PREPARED', aliases: { ALIAS00001: 'PREPARED' } });
    const outputs = join(dir, 'outputs.json');
    await writeFile(outputs, JSON.stringify({ agents: { manager: { agentId: 'AGENT00001', aliasId: 'ALIAS00001' } }, exportBucket: 'revops-exports' }));
    const env = { ...baseEnv, REVOPS_ENGINE: 'bedrock-agents' };
    const ready = await doctor(env, ['--outputs', outputs]);
    expect(named(ready.checks, 'bedrock agent manager')).toMatchObject({ ok: true, detail: 'agent AGENT00001 and alias ALIAS00001 PREPARED' });
    aws.agents.set('AGENT00001', { status: 'NOT_PREPARED', aliases: { ALIAS00001: 'PREPARED' } });
    const stale = await doctor(env, ['--outputs', outputs]);
    expect(named(stale.checks, 'bedrock agent manager')).toMatchObject({ ok: false, fix: expect.stringContaining('prepare-agent --agent-id AGENT00001') });
  });

  it('connects to Firebolt through the real SDK and runs SELECT 1 (child process trusting the stand-in)', async () => {
    const credentials = { clientId: 'svc-revops', clientSecret: 'test-only-secret', account: 'revops', database: 'dwh_prod', engine: 'dwh_prod_analytics' };
    const firebolt: FireboltStandIn = await startFireboltStandIn({ databaseFile: join(dir, 'warehouse.duckdb'), ...credentials });
    try {
      const { stdout } = await run(process.execPath, [join(repoRoot, 'infra/cli/revops.mjs'), 'doctor', '--json', '--manifest', manifestPath], {
        cwd: dir,
        env: {
          PATH: process.env.PATH, NODE_EXTRA_CA_CERTS: firebolt.caFile, REVOPS_WAREHOUSE: 'firebolt', FIREBOLT_API_ENDPOINT: firebolt.apiEndpoint,
          FIREBOLT_CLIENT_ID: credentials.clientId, FIREBOLT_CLIENT_SECRET: credentials.clientSecret, FIREBOLT_ACCOUNT: credentials.account,
          FIREBOLT_DATABASE: credentials.database, FIREBOLT_ENGINE: credentials.engine,
        },
      }).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
      const { checks } = JSON.parse(stdout) as { checks: CheckOutcome[] };
      expect(named(checks, 'warehouse connect (Firebolt')).toMatchObject({ ok: true });
      expect(named(checks, 'warehouse schema')).toMatchObject({ ok: true });
      expect(firebolt.requests.some((r) => r.sql.includes('SELECT 1'))).toBe(true);
    } finally {
      await firebolt.close();
    }
  });
});

describe('tables a SQL tool reads', () => {
  it.each([
    ['SELECT * FROM opportunities o JOIN accounts a ON a.id = o.account_id', ['accounts', 'opportunities']],
    ['WITH open AS (SELECT * FROM opportunities) SELECT * FROM open JOIN "Calls" c ON true', ['calls', 'opportunities']],
    ['SELECT * FROM analytics.deals, generate_series(1, 3)', ['analytics.deals']],
    ['SELECT * FROM read_csv(\'x.csv\')', []],
  ])('%s', (sql, tables) => expect(tablesRead(sql)).toEqual(tables));
});
