/**
 * `revops doctor`'s AWS checks with the real SDK clients against moto_server: queues with their dead-letter queues,
 * the bucket, the secrets. Green when the deployment's resources exist; each missing or unhealthy one named with its
 * fix. (Slack, the warehouse and Bedrock are the loopback stand-ins' part, test/cli/doctor.test.ts.)
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { command } from '../../runtime/cli/doctor.ts';
import type { CheckOutcome } from '../../runtime/doctor/doctorCheck.ts';
import { fixtureManifest } from '../infra/fixtures/manifest.ts';
import { createBucket, createQueuePair, motoAbsent, motoEndpoint, s3Client, sqsClient, uniqueName } from './motoClients.ts';

describe.skipIf(motoAbsent)('revops doctor on moto_server', () => {
  const sqs = sqsClient();
  let manifestPath: string;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'revops-doctor-moto-'));
    manifestPath = join(dir, 'manifest.json');
    await writeFile(manifestPath, JSON.stringify(fixtureManifest()));
  });

  const configured = async () => {
    const slack = await createQueuePair(sqs, { visibilityTimeoutSeconds: 30, maxReceives: 3 });
    const webhook = await createQueuePair(sqs, { visibilityTimeoutSeconds: 30, maxReceives: 3 });
    const bucket = await createBucket(s3Client());
    const secrets = new SecretsManagerClient({ endpoint: motoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const secret = await secrets.send(new CreateSecretCommand({ Name: uniqueName('revops/SLACK_SIGNING_SECRET'), SecretString: 'signing-secret' }));
    env = {
      AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_ENDPOINT_URL: motoEndpoint,
      // Not this file's part: refused at once on loopback instead of reaching out.
      SLACK_API_URL: 'http://127.0.0.1:9/', REVOPS_WAREHOUSE_PATH: join(dir, 'absent.duckdb'),
      REVOPS_ENGINE: 'converse', REVOPS_QUEUE: 'sqs', REVOPS_QUEUE_URL_SLACK: slack.queueUrl, REVOPS_QUEUE_URL_WEBHOOK: webhook.queueUrl,
      REVOPS_EXPORT_BUCKET: bucket, REVOPS_EXPORT_PREFIX: 'conversation-history/',
      REVOPS_SECRET_ARNS: JSON.stringify({ SLACK_SIGNING_SECRET: secret.ARN }),
    };
    return { slack, webhook, bucket };
  };

  async function doctor(): Promise<CheckOutcome[]> {
    const out: string[] = [];
    await command.run(['--json', '--manifest', manifestPath], { stdout: (t) => void out.push(t), stderr: () => {}, isTTY: false, env, cwd: dir });
    return (JSON.parse(out.join('')) as { checks: CheckOutcome[] }).checks;
  }
  const named = (checks: CheckOutcome[], part: string): CheckOutcome => {
    const found = checks.find((c) => c.name.includes(part));
    if (!found) throw new Error(`no check named like ${part}: ${checks.map((c) => c.name).join(', ')}`);
    return found;
  };

  it('passes the queues, the bucket and the secrets of a deployment that has them', async () => {
    const { bucket } = await configured();
    const checks = await doctor();
    expect(named(checks, 'secrets')).toMatchObject({ ok: true, detail: '1 resolved' });
    expect(named(checks, 'sqs queue slack')).toMatchObject({ ok: true, detail: expect.stringMatching(/^0 waiting; dead-letter queue revops-[0-9a-f]+-dlq empty$/) });
    expect(named(checks, 'sqs queue webhook')).toMatchObject({ ok: true });
    expect(named(checks, `s3 bucket ${bucket}`)).toMatchObject({ ok: true, detail: expect.stringContaining('a missing key reads as missing') });
  });

  it('names a missing queue, a dead-letter queue holding messages and a missing bucket, each with its fix', async () => {
    const { slack } = await configured();
    await sqs.send(new SendMessageCommand({ QueueUrl: slack.deadLetterQueueUrl, MessageBody: '{}' }));
    env.REVOPS_QUEUE_URL_WEBHOOK = `${env.REVOPS_QUEUE_URL_WEBHOOK}-gone`;
    env.REVOPS_EXPORT_BUCKET = uniqueName('revops-missing');
    const checks = await doctor();
    expect(named(checks, 'sqs queue slack')).toMatchObject({
      ok: false, detail: expect.stringMatching(/^1 message\(s\) in dead-letter queue/), fix: expect.stringContaining('start-message-move-task'),
    });
    expect(named(checks, 'sqs queue webhook')).toMatchObject({ ok: false, detail: expect.stringContaining('does not exist'), fix: expect.stringContaining('REVOPS_QUEUE_URL_WEBHOOK') });
    expect(named(checks, 's3 bucket')).toMatchObject({ ok: false, detail: expect.stringContaining('does not exist'), fix: expect.stringContaining('REVOPS_EXPORT_BUCKET') });
  });
});
