/**
 * The runtime as the Lambda adapters use it, built once per cold start: environment plus secrets (secretEnv.ts),
 * the manifest shipped next to the bundle, SQS queues (REVOPS_QUEUE=sqs, one REVOPS_QUEUE_URL_<CHANNEL> each) and S3
 * exports as runtime/wiring.ts builds them, S3 for webhook status and answered keys, EMF metrics. The handlers are the same ones the local server runs (runtime/wiring.ts); only these edges differ.
 */
import { getConnInfo } from 'hono/aws-lambda';
import { loadConfig } from '../config.ts';
import { createRuntime, type Runtime, type RuntimeParts } from '../wiring.ts';
import { loadLambdaProject } from './lambdaProject.ts';
import { createS3DoneSet, createS3StatusStore, lazyS3 } from './s3Stores.ts';
import { LambdaConfigError } from './secretEnv.ts';

/** Which function this is: decides what its cold start builds (the rest is built on first use, if ever). */
export type LambdaRole = 'slack-ingress' | 'webhook-ingress' | 'processor';

const SERVES: Record<LambdaRole, RuntimeParts['serves']> = { 'slack-ingress': 'http', 'webhook-ingress': 'http', processor: 'queue' };

export async function createLambdaRuntime(processEnv: Record<string, string | undefined>, role: LambdaRole): Promise<Runtime> {
  const project = await loadLambdaProject(processEnv);
  // Lambda's only writable folder is /tmp; nothing durable is kept there (queues, status and exports are AWS's).
  const config = loadConfig({ REVOPS_QUEUE: 'sqs', REVOPS_DATA_DIR: '/tmp/revops', ...project.env }, project.root);
  const bucket = config.exports.bucket;
  const statusBucket = project.env.REVOPS_STATUS_BUCKET;
  if (!bucket || !statusBucket) {
    throw new LambdaConfigError('REVOPS_EXPORT_BUCKET and REVOPS_STATUS_BUCKET must be set on Lambda; redeploy with `pulumi up`');
  }
  const s3 = lazyS3();
  // The webhook ingress writes the status record alongside the enqueue and awaits both before answering (Lambda
  // freezes the function after the response); with S3 ready at cold start the write starts at once.
  if (role === 'webhook-ingress') await s3();
  const statusPrefix = project.env.REVOPS_STATUS_PREFIX ?? 'webhook-status';
  return createRuntime(config, {
    project: { manifest: project.manifest, toolbox: project.toolbox },
    status: createS3StatusStore(s3, statusBucket, statusPrefix),
    done: createS3DoneSet(s3, statusBucket, statusPrefix),
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
