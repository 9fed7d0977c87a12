/**
 * The offline engine on the processor Lambda: it resolves names ("IXIS") from the configured warehouse — before,
 * the Lambda runtime handed it none, so the IXIS question was answered with "which deal?" — and a processor
 * without a warehouse says what is missing at cold start instead.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureManifest } from '../../../infra/manifestSource.ts';
import { createLambdaRuntime } from '../../../runtime/lambda/lambdaRuntime.ts';
import { LambdaConfigError } from '../../../runtime/lambda/secretEnv.ts';
import type { InboundMessage } from '../../../runtime/processing/inbound.ts';
import { seedSampleWarehouse } from '../../../runtime/warehouse/sample/createSampleWarehouse.ts';
import { repoRoot } from '../../infra/planHelpers.ts';

const s3 = mockClient(S3Client);
let root: string;
let env: Record<string, string>;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'revops-offline-lambda-'));
  await writeFile(join(root, 'manifest.json'), await readFile(await ensureManifest(repoRoot), 'utf8'));
  await seedSampleWarehouse({ out: join(root, 'warehouse.duckdb'), scale: 50 });
  env = {
    LAMBDA_TASK_ROOT: root, AWS_REGION: 'us-east-1', REVOPS_ENGINE: 'offline', REVOPS_LOG_LEVEL: 'error',
    REVOPS_QUEUE_URL_WEBHOOK: 'https://sqs.us-east-1.amazonaws.com/1/w', REVOPS_QUEUE_URL_SLACK: 'https://sqs.us-east-1.amazonaws.com/1/s',
    REVOPS_EXPORT_BUCKET: 'exports', REVOPS_STATUS_BUCKET: 'exports', REVOPS_STATUS_PREFIX: 'webhook-status/',
  };
  s3.onAnyCommand().rejects(new NoSuchKey({ message: 'missing', $metadata: { httpStatusCode: 404 } }));
  s3.on(PutObjectCommand).resolves({});
});
afterAll(async () => {
  s3.restore();
  await rm(root, { recursive: true, force: true });
});

describe('the offline engine on the processor Lambda', () => {
  it('answers the IXIS question from the configured warehouse', async () => {
    const runtime = await createLambdaRuntime({ ...env, REVOPS_WAREHOUSE_PATH: join(root, 'warehouse.duckdb') }, 'processor');
    const message: InboundMessage = {
      kind: 'webhook', id: 'ixis-1', dedupeKey: 'ixis-1', channel: 'webhook', agent: 'manager', sessionId: 'ixis-1',
      text: 'What is the status of the IXIS deal?', receivedAt: '2025-11-14T09:00:00.000Z', webhook: { trackingId: 'ixis-1', sessionId: 'ixis-1', sourceSystem: 'test' },
    };
    await runtime.processor.process(message, 1);
    const bodies = s3.commandCalls(PutObjectCommand).map((c) => String(c.args[0].input.Body ?? ''));
    const status = bodies.find((b) => b.includes('"ixis-1"') && b.includes('completed')) ?? bodies.join('\n');
    expect(status).toContain('IXIS');
    expect(status).not.toMatch(/which deal/iu);
    await runtime.close();
  });

  it('refuses to start without a warehouse, naming what to set', async () => {
    const error = await createLambdaRuntime(env, 'processor').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaConfigError);
    expect((error as Error).message).toMatch(/REVOPS_WAREHOUSE=firebolt.*REVOPS_WAREHOUSE_PATH/u);
  });
});
