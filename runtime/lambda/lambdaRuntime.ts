/**
 * The runtime as the Lambda adapters use it, built once per cold start: environment plus secrets (secretEnv.ts),
 * the manifest shipped next to the bundle, SQS for sending, S3 for exports, webhook status and answered keys, EMF
 * metrics. The handlers are the same ones the local server runs (runtime/wiring.ts); only these edges differ.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { getConnInfo } from 'hono/aws-lambda';
import type { Manifest } from '../../compiler/manifest.ts';
import { loadConfig } from '../config.ts';
import { createS3ExportSink } from '../exports/index.ts';
import type { MessageQueue } from '../queue/index.ts';
import { createToolbox } from '../tools/createToolbox.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import { openWarehouse } from '../warehouse/openWarehouse.ts';
import { createRuntime, type Runtime } from '../wiring.ts';
import { lazyWarehouse } from './lazyWarehouse.ts';
import { createS3DoneSet, createS3StatusStore } from './s3Stores.ts';
import { LambdaConfigError, resolveSecretEnv } from './secretEnv.ts';
import { createSqsSendQueue } from './sqsSendQueue.ts';

export interface LambdaProject {
  env: Record<string, string | undefined>;
  root: string;
  manifest: Manifest;
  toolbox: Toolbox;
}

/** Environment with secrets, the manifest (`REVOPS_MANIFEST`, relative to the task root) and a lazy toolbox. */
export async function loadLambdaProject(processEnv: Record<string, string | undefined>): Promise<LambdaProject> {
  const env = await resolveSecretEnv(processEnv);
  const root = env.LAMBDA_TASK_ROOT ?? process.cwd();
  const path = resolve(root, env.REVOPS_MANIFEST ?? 'manifest.json');
  const manifest = JSON.parse(await readFile(path, 'utf8').catch((cause: unknown) => {
    throw new LambdaConfigError(`cannot read the manifest at ${path}; rebuild and redeploy (npm run build, pulumi up)`, { cause });
  })) as Manifest;
  const toolbox = createToolbox(manifest.tools, {
    warehouse: lazyWarehouse(() => openWarehouse(env, root)), env, fetch: globalThis.fetch, now: () => new Date(),
  });
  return { env, root, manifest, toolbox };
}

export async function createLambdaRuntime(processEnv: Record<string, string | undefined>): Promise<Runtime> {
  const project = await loadLambdaProject(processEnv);
  // Lambda's only writable folder is /tmp; nothing durable is kept there (queues, status and exports are AWS's).
  const config = loadConfig({ REVOPS_QUEUE: 'sqs', REVOPS_DATA_DIR: '/tmp/revops', ...project.env }, project.root);
  const bucket = config.exports.bucket;
  const statusBucket = project.env.REVOPS_STATUS_BUCKET;
  if (!bucket || !statusBucket) {
    throw new LambdaConfigError('REVOPS_EXPORT_BUCKET and REVOPS_STATUS_BUCKET must be set on Lambda; redeploy with `pulumi up`');
  }
  const s3 = new S3Client({});
  const sqs = new SQSClient({});
  const statusPrefix = project.env.REVOPS_STATUS_PREFIX ?? 'webhook-status';
  const queues: Record<string, MessageQueue> = Object.fromEntries(
    Object.entries(config.queue.urls).map(([channel, url]) => [channel, createSqsSendQueue(sqs, url)]));
  return createRuntime(config, {
    project: { manifest: project.manifest, toolbox: project.toolbox },
    queues,
    status: createS3StatusStore(s3, statusBucket, statusPrefix),
    done: createS3DoneSet(s3, statusBucket, statusPrefix),
    exportSink: createS3ExportSink(s3, bucket, config.exports.prefix),
    emf: true,
    callerInfo: (c) => {
      const ip = getConnInfo(c).remote.address;
      const userAgent = c.req.header('user-agent');
      return { ...(ip ? { ip } : {}), ...(userAgent ? { userAgent } : {}) };
    },
  });
}
