import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../compiler/manifest.ts';
import type { PolicyDocument } from '../../infra/policies/documents.ts';
import { modelInvokeArns } from '../../infra/policies/modelArns.ts';
import { knowledgeOf } from '../../infra/knowledgeDocuments.ts';
import { PLAN_ACCOUNT_ID } from '../../infra/plan/planDeployment.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { Plan, T, input, shippedManifest, withKnowledge } from './planHelpers.ts';

const suites: Array<[string, () => Promise<Manifest>]> = [['shipped specs', shippedManifest], ['fixture', async () => fixtureManifest()],
  ['fixture with knowledge documents', async () => withKnowledge(fixtureManifest())]];

describe.each(suites)('queues, functions, IAM and storage for the %s', (_label, load) => {
  let manifest: Manifest;
  let plan: Plan;
  beforeAll(async () => {
    manifest = await load();
    plan = await Plan.of(manifest);
  });

  it('gives every work queue a dead-letter queue after 3 receives and 6x its consumer timeout', () => {
    const queues = plan.all(T.queue).filter((q) => !q.name.endsWith('-dlq'));
    expect(queues).toHaveLength(manifest.channels.length);
    for (const queue of queues) {
      const redrive = JSON.parse(input(queue, 'redrivePolicy')) as { deadLetterTargetArn: string; maxReceiveCount: number };
      expect(redrive.maxReceiveCount).toBe(3);
      const dlq = plan.get(T.queue, queue.name.replace(/-queue$/, '-dlq'));
      expect(redrive.deadLetterTargetArn).toBe(`arn:aws:sqs:us-east-1:${PLAN_ACCOUNT_ID}:${input(dlq, 'name')}`);
      const mapping = plan.all(T.mapping).find((m) => input(m, 'eventSourceArn').endsWith(`:${input(queue, 'name')}`))!;
      expect(input<number>(mapping, 'batchSize')).toBe(1);
      expect(input(mapping, 'functionResponseTypes')).toEqual(['ReportBatchItemFailures']);
      const consumer = plan.all(T.fn).find((f) => input(mapping, 'functionName').endsWith(`:function:${input(f, 'name')}`))!;
      expect(input<number>(queue, 'visibilityTimeoutSeconds')).toBeGreaterThanOrEqual(6 * input<number>(consumer, 'timeout'));
    }
  });

  it('lets every role that reads S3 keys list exactly the prefixes it reads, and no role list more', () => {
    const policies = plan.all(T.rolePolicy).map((p) => JSON.parse(input(p, 'policy')) as PolicyDocument);
    const readers = policies.filter((d) => d.Statement.some((s) => s.Action.includes('s3:GetObject')));
    expect(readers.length).toBeGreaterThan(0);
    for (const document of policies) {
      const reads = document.Statement.filter((s) => s.Action.includes('s3:GetObject')).flatMap((s) => s.Resource ?? []);
      const lists = document.Statement.filter((s) => s.Action.includes('s3:ListBucket'));
      expect(lists.flatMap((s) => s.Resource ?? [])).toEqual([...new Set(reads.map((arn) => arn.slice(0, arn.indexOf('/'))))]);
      expect(lists.flatMap((s) => s.Condition?.StringLike?.['s3:prefix'] ?? [])).toEqual(reads.map((arn) => arn.slice(arn.indexOf('/') + 1)).sort());
    }
  });

  it('tells each processor its queue\'s maxReceiveCount and dead-letter queue, which it may send to', () => {
    for (const channel of manifest.channels) {
      const queue = plan.get(T.queue, `queue-${channel.name}-queue`);
      const dlq = plan.get(T.queue, `queue-${channel.name}-dlq`);
      const processor = plan.all(T.fn).find((f) => input(f, 'name').endsWith(`-${channel.name}-processor`))!;
      const env = input<{ variables: Record<string, string> }>(processor, 'environment').variables;
      const redrive = JSON.parse(input(queue, 'redrivePolicy')) as { maxReceiveCount: number };
      expect(Number(env.REVOPS_QUEUE_MAX_RECEIVES)).toBe(redrive.maxReceiveCount);
      expect(env[`REVOPS_QUEUE_URL_${channel.name.toUpperCase()}_DLQ`]).toContain(input(dlq, 'name'));
      const policy = JSON.parse(input(plan.get(T.rolePolicy, `channel-${channel.name}-processor-policy`), 'policy')) as PolicyDocument;
      expect(policy.Statement.find((s) => s.Action.includes('sqs:SendMessage'))?.Resource).toEqual([`arn:aws:sqs:us-east-1:${PLAN_ACCOUNT_ID}:${input(dlq, 'name')}`]);
    }
  });

  it('uses no wildcard action in any IAM statement and scopes every resource', () => {
    const documents = [
      ...plan.all(T.rolePolicy).map((p) => JSON.parse(input(p, 'policy')) as PolicyDocument),
      ...plan.all(T.role).map((r) => JSON.parse(input(r, 'assumeRolePolicy')) as PolicyDocument),
    ];
    expect(documents.length).toBeGreaterThanOrEqual(4 * manifest.channels.length);
    for (const statement of documents.flatMap((d) => d.Statement)) {
      for (const action of statement.Action) expect(action).not.toContain('*');
      for (const resource of statement.Resource ?? []) expect(resource).not.toBe('*');
    }
  });

  it('keeps every bucket private and encrypted', () => {
    const buckets = plan.all(T.bucket);
    const encryption = plan.all('aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration');
    for (const bucket of buckets) {
      const block = plan.all(T.publicAccess).find((b) => b.dependsOn.includes(bucket.name))!;
      for (const key of ['blockPublicAcls', 'blockPublicPolicy', 'ignorePublicAcls', 'restrictPublicBuckets']) {
        expect(block.inputs[key], `${bucket.name} ${key}`).toBe(true);
      }
      expect(encryption.filter((e) => e.dependsOn.includes(bucket.name)), bucket.name).toHaveLength(1);
    }
    expect(plan.all('aws:s3/bucketPolicy:BucketPolicy')).toEqual([]);
    expect(plan.all('aws:s3/bucketAcl:BucketAcl')).toEqual([]);
    expect(encryption).toHaveLength(buckets.length);
    const lifecycle = plan.all('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration')[0]!;
    expect(JSON.stringify(lifecycle.inputs.rules)).toContain('conversation-history/');
    const expiry = Object.fromEntries((lifecycle.inputs.rules as Array<{ filter: { prefix: string }; expiration: { days: number } }>)
      .map((rule) => [rule.filter.prefix, rule.expiration.days]));
    // Status records and idempotency claims for the webhook channel's status_retention_days; answered keys as
    // long as a queue keeps a message.
    expect(expiry).toMatchObject({ 'webhook-status/status/': 7, 'webhook-status/claims/': 7, 'webhook-status/done/': 14 });
  });

  it('creates a log group with retention for every Lambda function, before the function', () => {
    const functions = plan.all(T.fn);
    // The default engine (converse) runs tools in the processors: no tool executor.
    expect(functions.length).toBe(2 * manifest.channels.length + (knowledgeOf(manifest).documents.length ? 1 : 0));
    for (const fn of functions) {
      const group = plan.all(T.logGroup).find((g) => input(g, 'name') === `/aws/lambda/${input(fn, 'name')}`);
      expect(group, input(fn, 'name')).toBeDefined();
      expect(input<number>(group!, 'retentionInDays')).toBeGreaterThan(0);
      expect(fn.dependsOn).toContain(group!.name);
    }
  });

  it('takes memory and timeouts from the channel specs', () => {
    for (const channel of manifest.channels) {
      const ingress = plan.all(T.fn).find((f) => input(f, 'name') === `revops-plan-${channel.name}-ingress`)!;
      const processor = plan.all(T.fn).find((f) => input(f, 'name') === `revops-plan-${channel.name}-processor`)!;
      expect([input(ingress, 'memorySize'), input(ingress, 'timeout')]).toEqual([channel.ingress.memoryMb, channel.ingress.timeoutSeconds]);
      expect([input(processor, 'memorySize'), input(processor, 'timeout')]).toEqual([channel.processor.memoryMb, channel.processor.timeoutSeconds]);
    }
  });

  it('hands functions secret ARNs, never secret values', () => {
    for (const fn of plan.all(T.fn)) {
      const env = input<{ variables: Record<string, string> }>(fn, 'environment').variables;
      // planDeployment configures each secret as `<configKey>`; none may reach an environment.
      for (const value of Object.values(env)) expect(value).not.toMatch(/<(slack|webhook|firebolt|gong)[A-Za-z]*(Secret|Token|Keys?|Id)>/);
      for (const arn of Object.values(JSON.parse(env.REVOPS_SECRET_ARNS ?? '{}') as Record<string, string>)) {
        expect(arn).toMatch(/^arn:aws:secretsmanager:/);
      }
    }
  });

  it('routes the API to the ingress functions', () => {
    const routes = plan.all('aws:apigatewayv2/route:Route').map((r) => input(r, 'routeKey')).sort();
    expect(routes).toEqual(['GET /webhook/{tracking_id}', 'OPTIONS /webhook', 'OPTIONS /webhook/{tracking_id}', 'OPTIONS /webhook/{tracking_id}/approve',
      'OPTIONS /webhook/{tracking_id}/reject', 'POST /slack/events', 'POST /webhook', 'POST /webhook/{tracking_id}/approve', 'POST /webhook/{tracking_id}/reject']);
    for (const integration of plan.all('aws:apigatewayv2/integration:Integration')) {
      expect(input(integration, 'payloadFormatVersion')).toBe('2.0');
    }
  });

  it('alarms on every dead-letter queue and every processor', () => {
    const alarms = plan.all('aws:cloudwatch/metricAlarm:MetricAlarm');
    const dlqAlarms = alarms.filter((a) => input(a, 'metricName') === 'ApproximateNumberOfMessagesVisible');
    expect(dlqAlarms.map((a) => input<{ QueueName: string }>(a, 'dimensions').QueueName).sort())
      .toEqual(plan.all(T.queue).filter((q) => q.name.endsWith('-dlq')).map((q) => input(q, 'name')).sort());
    expect(alarms.filter((a) => input(a, 'metricName') === 'Errors')).toHaveLength(manifest.channels.length);
  });

  it('with the converse engine creates no agent resources and lets processors invoke exactly the named models', async () => {
    const converse = await Plan.of(manifest, { engine: 'converse' });
    expect(converse.resources.filter((r) => r.type.startsWith('aws:bedrock/agentAgent'))).toEqual([]);
    expect(converse.all(T.fn).map((f) => input(f, 'name'))).not.toContain('revops-plan-tool-executor');
    const models = [...new Set(manifest.agents.map((a) => a.model ?? manifest.defaults.model))];
    const expected = models.flatMap((m) => modelInvokeArns(m, 'us-east-1', PLAN_ACCOUNT_ID)).sort();
    for (const channel of manifest.channels) {
      const policy = JSON.parse(input(converse.get(T.rolePolicy, `channel-${channel.name}-processor-policy`), 'policy')) as PolicyDocument;
      const invoke = policy.Statement.find((s) => s.Action.includes('bedrock:InvokeModel'))!;
      expect(invoke.Resource).toEqual(expected);
      expect(policy.Statement.some((s) => s.Action.includes('bedrock:InvokeAgent'))).toBe(false);
    }
  });
});
