import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHttpHandler } from '../../runtime/lambda/httpIngress.ts';
import { createLambdaRuntime } from '../../runtime/lambda/lambdaRuntime.ts';
import { fixtureManifest } from '../infra/fixtures/manifest.ts';

const API_KEY = 'test-key-0123456789abcdef';
const QUEUE_URL = 'https://sqs.us-east-1.amazonaws.com/123456789012/revops-dev-webhook-inbound';
const fixture = async (name: string) => JSON.parse(await readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('webhook ingress on Lambda (API Gateway v2 -> Hono app -> SQS, S3)', () => {
  const secrets = mockClient(SecretsManagerClient);
  const sqs = mockClient(SQSClient);
  const s3 = mockClient(S3Client);
  let env: Record<string, string>;

  beforeEach(async () => {
    const root = await mkdtemp(join(tmpdir(), 'revops-lambda-'));
    await writeFile(join(root, 'manifest.json'), JSON.stringify(fixtureManifest()));
    env = {
      LAMBDA_TASK_ROOT: root, AWS_REGION: 'us-east-1', REVOPS_ENGINE: 'offline', REVOPS_DATA_DIR: join(root, 'data'),
      REVOPS_QUEUE_URL_WEBHOOK: QUEUE_URL, REVOPS_QUEUE_URL_SLACK: QUEUE_URL.replace('webhook', 'slack'), REVOPS_EXPORT_BUCKET: 'exports', REVOPS_STATUS_BUCKET: 'exports',
      REVOPS_STATUS_PREFIX: 'webhook-status/', REVOPS_LOG_LEVEL: 'error', REVOPS_CHANNEL: 'webhook',
      REVOPS_SECRET_ARNS: JSON.stringify({ WEBHOOK_API_KEYS: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:keys' }),
    };
    secrets.on(GetSecretValueCommand, { SecretId: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:keys' })
      .resolves({ SecretString: API_KEY });
    sqs.on(SendMessageCommand).resolves({ MessageId: 'sqs-1' });
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('missing'), { name: 'NoSuchKey' }));
  });
  afterEach(() => {
    secrets.reset();
    sqs.reset();
    s3.reset();
  });

  it('accepts an authenticated request, enqueues it on SQS and records its status in S3', async () => {
    const handler = createHttpHandler(async () => (await createLambdaRuntime(env, 'ingress')).app);
    const event = await fixture('apigw-v2-webhook-post.json');
    (event.headers as Record<string, string>).authorization = `Bearer ${API_KEY}`;
    const response = await handler(event as never);
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body) as { tracking_id: string; status: string };
    expect(body.status).toBe('queued');
    const sent = sqs.commandCalls(SendMessageCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.args[0].input.QueueUrl).toBe(QUEUE_URL);
    const message = JSON.parse(sent[0]!.args[0].input.MessageBody!) as { text: string; webhook: { trackingId: string; requestIp?: string } };
    expect(message.text).toBe('What is the status of the IXIS deal?');
    expect(message.webhook.trackingId).toBe(body.tracking_id);
    expect(message.webhook.requestIp).toBe('203.0.113.7');
    const statusKeys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);
    expect(statusKeys).toContain(`webhook-status/status/${body.tracking_id}.json`);
  });

  it('refuses a request without the bearer key and enqueues nothing', async () => {
    const handler = createHttpHandler(async () => (await createLambdaRuntime(env, 'ingress')).app);
    const response = await handler(await fixture('apigw-v2-webhook-post.json') as never);
    expect(response.statusCode).toBe(401);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('answers its creator\'s status poll from the S3 record, and nobody else\'s', async () => {
    const handler = createHttpHandler(async () => (await createLambdaRuntime(env, 'ingress')).app);
    const post = await fixture('apigw-v2-webhook-post.json');
    (post.headers as Record<string, string>).authorization = `Bearer ${API_KEY}`;
    const { tracking_id: id } = JSON.parse((await handler(post as never)).body) as { tracking_id: string };
    const written = s3.commandCalls(PutObjectCommand).find((c) => c.args[0].input.Key === `webhook-status/status/${id}.json`);
    const record = { ...JSON.parse(String(written!.args[0].input.Body)), status: 'done', response: 'IXIS is in Negotiate.' };
    s3.on(GetObjectCommand, { Bucket: 'exports', Key: `webhook-status/status/${id}.json` })
      // The SDK's stream body; the store only calls transformToString.
      .resolves({ Body: { transformToString: async () => JSON.stringify(record) } as never });
    const statusEvent = JSON.parse(JSON.stringify(await fixture('apigw-v2-webhook-status.json')).replaceAll('TRACKING_ID', id));
    const poll = () => handler({ ...statusEvent, headers: { ...statusEvent.headers, authorization: `Bearer ${API_KEY}` } } as never);
    const response = await poll();
    expect(response.statusCode).toBe(200);
    const body = JSON.parse(response.body) as Record<string, unknown>;
    expect(body).toMatchObject({ tracking_id: id, status: 'done', response: 'IXIS is in Negotiate.' });
    expect(body).not.toHaveProperty('owner');
    const other = { ...record, owner: 'key-0000000000000000' };
    s3.on(GetObjectCommand, { Bucket: 'exports', Key: `webhook-status/status/${id}.json` })
      .resolves({ Body: { transformToString: async () => JSON.stringify(other) } as never });
    // A record another caller created reads as unknown.
    expect((await poll()).statusCode).toBe(404);
  });

  it('names the secret that cannot be read', async () => {
    secrets.reset();
    secrets.on(GetSecretValueCommand).rejects(new Error('AccessDenied'));
    await expect(createLambdaRuntime(env, 'ingress')).rejects.toThrow(/cannot read secret WEBHOOK_API_KEYS/);
  });
});
