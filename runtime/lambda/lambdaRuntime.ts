/**
 * The runtime as the Lambda adapters use it, built once per cold start: environment plus secrets (secretEnv.ts),
 * the manifest shipped next to the bundle, SQS queues (REVOPS_QUEUE=sqs, one REVOPS_QUEUE_URL_<CHANNEL> each) as
 * runtime/wiring.ts builds them, one S3 client for webhook status, answered keys and conversation exports, EMF
 * metrics. The handlers are the same ones the local server runs (runtime/wiring.ts); only these edges differ.
 */
import { getConnInfo } from 'hono/aws-lambda';
import { isWebhookChannel } from '../../compiler/manifest.ts';
import { loadConfig } from '../config.ts';
import { createRuntime, type Runtime, type RuntimeParts } from '../wiring.ts';
import { loadLambdaProject } from './lambdaProject.ts';
import { isEngineName } from '../../compiler/engines.ts';
import { loadEngine } from '../engines/createEngine.ts';
import { exportSinkOnFirstUse } from '../firstUse.ts';
import { createS3AuditLog, createS3DoneSet, createS3PendingStore, createS3StatusStore, lazyS3, type S3 } from './s3Stores.ts';
import { LambdaConfigError } from './secretEnv.ts';

/** Which function this is: decides what its cold start builds (the rest is built on first use, if ever). */
export type LambdaRole = 'slack-ingress' | 'webhook-ingress' | 'processor';

const SERVES: Record<LambdaRole, RuntimeParts['serves']> = { 'slack-ingress': 'http', 'webhook-ingress': 'http', processor: 'queue' };

/**
 * What a role is sure to need on its first event, loaded while the secrets are fetched: module loading is CPU and
 * the fetch is I/O, so the cold start pays for the longer of the two instead of both. Failures are left to the real
 * use, which reports them in context.
 */
function warmUp(role: LambdaRole, env: Record<string, string | undefined>, s3: () => Promise<S3>): Promise<unknown> {
  const loads: Array<Promise<unknown>> = role === 'slack-ingress'
    ? [import('../channels/slack/ingress.ts')]
    : role === 'webhook-ingress'
      ? [s3()]
      // Not the Slack delivery: one processor serves both channels, and a webhook message never needs it.
      : [s3(), import('../exports/s3Sink.ts'), ...(isEngineName(env.REVOPS_ENGINE) ? [loadEngine(env.REVOPS_ENGINE)] : [])];
  return Promise.allSettled(loads);
}

/** A warehouse the processor can reach: Firebolt by name, or a DuckDB file named explicitly (no sample on Lambda). */
const warehouseConfigured = (env: Record<string, string | undefined>): boolean =>
  env.REVOPS_WAREHOUSE?.trim().toLowerCase() === 'firebolt' || Boolean(env.REVOPS_WAREHOUSE_PATH?.trim());

export async function createLambdaRuntime(processEnv: Record<string, string | undefined>, role: LambdaRole): Promise<Runtime> {
  const s3 = lazyS3();
  const warm = warmUp(role, processEnv, s3);
  const project = await loadLambdaProject(processEnv);
  await warm;
  // Lambda's only writable folder is /tmp; nothing durable is kept there (queues, status and exports are AWS's).
  const config = loadConfig({ REVOPS_QUEUE: 'sqs', REVOPS_DATA_DIR: '/tmp/revops', ...project.env }, project.root);
  const bucket = config.exports.bucket;
  const statusBucket = project.env.REVOPS_STATUS_BUCKET;
  if (!bucket || !statusBucket) {
    throw new LambdaConfigError('REVOPS_EXPORT_BUCKET and REVOPS_STATUS_BUCKET must be set on Lambda; redeploy with `pulumi up`');
  }
  const statusPrefix = project.env.REVOPS_STATUS_PREFIX ?? 'webhook-status';
  if (role === 'processor' && config.engine === 'offline' && !warehouseConfigured(project.env)) {
    throw new LambdaConfigError('REVOPS_ENGINE=offline resolves names ("which deal?") from the warehouse, and none is configured ' +
      'on this function: set REVOPS_WAREHOUSE=firebolt with the FIREBOLT_* settings (a converse deploy gives them to the ' +
      'processor), or REVOPS_WAREHOUSE_PATH to a DuckDB file in the bundle; or deploy the converse engine');
  }
  const webhookChannel = project.manifest.channels.find(isWebhookChannel);
  return createRuntime(config, {
    project: { manifest: project.manifest, toolbox: project.toolbox, warehouse: project.warehouse },
    status: createS3StatusStore(s3, statusBucket, statusPrefix, {
      ...(webhookChannel ? { retentionMs: webhookChannel.statusRetentionDays * 86_400_000 } : {}),
    }),
    // A claim outlives the longest processor run (Lambda ends a function at its timeout) by a minute.
    done: createS3DoneSet(s3, statusBucket, statusPrefix, {
      leaseMs: Math.max(...project.manifest.channels.map((c) => c.processor.timeoutSeconds)) * 1000 + 60_000,
    }),
    pending: createS3PendingStore(s3, statusBucket, statusPrefix),
    audit: createS3AuditLog(s3, statusBucket, statusPrefix),
    // The exports share the stores' S3 client (and its connections) rather than making their own.
    exportSink: exportSinkOnFirstUse(async () => (await import('../exports/s3Sink.ts'))
      .createS3ExportSink((await s3()).client, bucket, config.exports.prefix)),
    emf: true,
    serves: SERVES[role],
    frozenAfterResponse: true,
    callerInfo: (c) => {
      const ip = getConnInfo(c).remote.address;
      const userAgent = c.req.header('user-agent');
      return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
    },
  });
}
