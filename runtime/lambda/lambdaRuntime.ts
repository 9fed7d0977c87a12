/**
 * The runtime as the Lambda adapters use it, built once per cold start for the function's role (`ingress` or
 * `processor`) and the channel REVOPS_CHANNEL names (infra sets both apart: the role by the bundle, the channel on
 * each function): environment plus secrets (secretEnv.ts), the manifest shipped next to the bundle, SQS queues
 * (REVOPS_QUEUE=sqs, one REVOPS_QUEUE_URL_<CHANNEL> each) as runtime/wiring.ts builds them, one S3 client for request
 * status, answered keys, approvals and conversation exports, EMF metrics. The handlers are the same ones the local
 * server runs (runtime/wiring.ts); only these edges differ.
 */
import type { Manifest } from '../../compiler/manifest.ts';
import { channelKinds } from '../channels/channels.ts';
import { loadConfig, type RuntimeConfig } from '../config.ts';
import { createRuntime, servedChannels, type ProcessingRuntime, type Role, type Runtime, type RuntimeParts } from '../wiring.ts';
import { loadLambdaProject, readLambdaManifest } from './lambdaProject.ts';
import { isEngineName } from '../../compiler/engines.ts';
import { loadEngine } from '../engines/createEngine.ts';
import { createS3AuditLog, createS3DoneSet, createS3PendingStore, createS3StatusStore, lazyS3, type S3 } from './s3Stores.ts';
import { LambdaConfigError } from './secretEnv.ts';
import type { CallerAddress } from '../server/createApp.ts';

/** Which function this is: decides what its cold start builds. */
export type LambdaRole = Role;

interface Deployed {
  config: RuntimeConfig;
  manifest: Manifest;
  env: Record<string, string | undefined>;
  s3: () => Promise<S3>;
  statusBucket: string;
  statusPrefix: string;
}

interface LambdaRoleSpec {
  /**
   * What the role is sure to need on its first event, loaded while the secrets are fetched: module loading is CPU
   * and the fetch is I/O, so the cold start pays for the longer of the two instead of both. Failures are left to
   * the real use, which reports them in context.
   */
  warmUp(manifest: Manifest, env: Record<string, string | undefined>, s3: () => Promise<S3>): Array<Promise<unknown>>;
  /** The parts only this role uses, over AWS. */
  parts(deployed: Deployed): Promise<Partial<RuntimeParts>>;
}

const kindsServed = (manifest: Manifest, env: Record<string, string | undefined>) =>
  servedChannels(env.REVOPS_CHANNEL?.trim() || undefined, manifest).map((c) => channelKinds[c.kind]);

/** A warehouse the processor can reach: Firebolt by name, or a DuckDB file named explicitly (no sample on Lambda). */
const warehouseConfigured = (env: Record<string, string | undefined>): boolean =>
  env.REVOPS_WAREHOUSE?.trim().toLowerCase() === 'firebolt' || Boolean(env.REVOPS_WAREHOUSE_PATH?.trim());

const ROLES: Record<LambdaRole, LambdaRoleSpec> = {
  ingress: {
    warmUp: (manifest, env, s3) => {
      const kinds = kindsServed(manifest, env);
      return [...kinds.map((k) => k.preload.ingress()), ...(kinds.some((k) => k.preload.ingressKeepsStatus) ? [s3()] : [])];
    },
    parts: async () => ({}),
  },
  processor: {
    warmUp: (manifest, env, s3) => [
      s3(), import('../exports/s3Sink.ts'), ...kindsServed(manifest, env).map((k) => k.preload.delivery()),
      ...(isEngineName(env.REVOPS_ENGINE) ? [loadEngine(env.REVOPS_ENGINE)] : []),
    ],
    async parts({ config, manifest, env, s3, statusBucket, statusPrefix }) {
      if (config.engine === 'offline' && !warehouseConfigured(env)) {
        throw new LambdaConfigError('REVOPS_ENGINE=offline resolves names ("which deal?") from the warehouse, and none is configured ' +
          'on this function: set REVOPS_WAREHOUSE=firebolt with the FIREBOLT_* settings (a converse deploy gives them to the ' +
          'processor), or REVOPS_WAREHOUSE_PATH to a DuckDB file in the bundle; or deploy the converse engine');
      }
      const [{ client }, { createS3ExportSink }] = await Promise.all([s3(), import('../exports/s3Sink.ts')]);
      return {
        // A claim outlives the longest processor run (Lambda ends a function at its timeout) by a minute.
        done: createS3DoneSet(s3, statusBucket, statusPrefix, {
          leaseMs: Math.max(...manifest.channels.map((c) => c.processor.timeoutSeconds)) * 1000 + 60_000,
        }),
        pending: createS3PendingStore(s3, statusBucket, statusPrefix),
        audit: createS3AuditLog(s3, statusBucket, statusPrefix),
        // The exports share the stores' S3 client (and its connections) rather than making their own.
        exportSink: createS3ExportSink(client, config.exports.bucket!, config.exports.prefix),
      };
    },
  },
};

/** API Gateway's view of the caller (payload 2.0 `requestContext.http.sourceIp`). */
const lambdaCallerAddress: CallerAddress = (bindings) =>
  (bindings as { requestContext?: { http?: { sourceIp?: string } } }).requestContext?.http?.sourceIp;

export async function createLambdaRuntime(processEnv: Record<string, string | undefined>, role: 'processor'): Promise<ProcessingRuntime>;
export async function createLambdaRuntime(processEnv: Record<string, string | undefined>, role: LambdaRole): Promise<Runtime>;
export async function createLambdaRuntime(processEnv: Record<string, string | undefined>, role: LambdaRole): Promise<Runtime> {
  const s3 = lazyS3();
  const manifestRead = readLambdaManifest(processEnv);
  const warm = manifestRead.then((manifest) => Promise.allSettled(ROLES[role].warmUp(manifest, processEnv, s3)), () => undefined);
  const project = await loadLambdaProject(processEnv, manifestRead);
  await warm;
  // Lambda's only writable folder is /tmp; nothing durable is kept there (queues, status and exports are AWS's).
  const config = loadConfig({ REVOPS_QUEUE: 'sqs', REVOPS_DATA_DIR: '/tmp/revops', ...project.env }, project.root);
  const statusBucket = project.env.REVOPS_STATUS_BUCKET;
  if (!config.exports.bucket || !statusBucket) {
    throw new LambdaConfigError('REVOPS_EXPORT_BUCKET and REVOPS_STATUS_BUCKET must be set on Lambda; redeploy with `pulumi up`');
  }
  const statusPrefix = project.env.REVOPS_STATUS_PREFIX ?? 'webhook-status';
  const deployed = { config, manifest: project.manifest, env: project.env, s3, statusBucket, statusPrefix };
  return createRuntime(config, {
    project: { manifest: project.manifest, toolbox: project.toolbox, warehouse: project.warehouse },
    ...await ROLES[role].parts(deployed),
    role,
    statusStore: (retention) => createS3StatusStore(s3, statusBucket, statusPrefix, retention),
    emf: true,
    frozenAfterResponse: true,
    callerAddress: lambdaCallerAddress,
  });
}
