/**
 * The runtime's composition root: from configuration and a loaded project (manifest, toolbox) it builds what this
 * process serves, by role and channel. The ingress role builds each served channel's routes and the queues they send
 * to; the processor role the engine, each served channel's delivery, the processor, the approvals and the exporter;
 * the local server (`revops serve`) plays both for every channel the manifest declares, a Lambda function one role
 * for the channel REVOPS_CHANNEL names (runtime/lambda/lambdaRuntime.ts). Channels are reached through their kind's
 * entry in runtime/channels/channels.ts only. It never loads specs itself (the CLI or the Lambda bundle hands it the
 * manifest), so Lambda bundles stay free of the compiler.
 */
import { join, resolve } from 'node:path';
import type { Hono } from 'hono';
import { queueUrlVariable, type Manifest, type ManifestChannel } from '../compiler/manifest.ts';
import { ConfigError, type RuntimeConfig } from './config.ts';
import { createEngine } from './engines/createEngine.ts';
import type { Engine } from './engines/engine.ts';
import { openSessionStore } from './sessions/openSessionStore.ts';
import type { SessionStore } from './sessions/sessionStore.ts';
import type { Toolbox } from './tools/toolbox.ts';
import type { Warehouse } from './warehouse/warehouse.ts';
import { createLogger, type Logger } from './logging/logger.ts';
import { combineMetrics, createEmfMetrics, createPrometheusRegistry, type Metrics } from './metrics/index.ts';
// The queue and export modules are imported one by one, not through their index files: an index also re-exports the
// SQS queue and the S3 sink, and those would bring their AWS clients into every Lambda function's entry (issue 6).
import type { DeadLetter, MessageQueue } from './queue/queue.ts';
import { createLocalQueue } from './queue/localQueue.ts';
import { startConsumer, type Consumer } from './queue/consumer.ts';
import type { Fsync } from './queue/journal.ts';
import { createJournalDamageReport } from './queue/journalDamageReport.ts';
import type { OnJournalDamage } from './queue/recoverJournal.ts';
import { createProcessor, type Processor } from './processing/processor.ts';
import { createFileDoneSet, type DoneSet } from './processing/doneSet.ts';
import type { Delivery } from './processing/inbound.ts';
import { createExporter } from './exports/exporter.ts';
import { createLocalExportSink } from './exports/localSink.ts';
import type { ExportSink } from './exports/layout.ts';
import { channelKinds, channelMetricsOf } from './channels/channels.ts';
import type { ChannelKind, ChannelKindName, ChannelSetup, OpenChannel } from './channels/channelKind.ts';
import type { StatusRetention, StatusStore } from './channels/webhook/statusStore.ts';
import { createApp, type CallerAddress } from './server/createApp.ts';
import type { DirectRoute } from './channels/route.ts';
import { createApprovals, sweepExpired } from './approvals/approvals.ts';
import { createFileAuditLog, type AuditLog } from './approvals/auditLog.ts';
import { createFilePendingStore, type PendingStore } from './approvals/pendingStore.ts';
import { WarehouseError } from './warehouse/warehouse.ts';
import { configuredSecrets, redaction } from './redact.ts';

export interface LoadedProject {
  manifest: Manifest;
  toolbox: Toolbox;
  warehouse?: Warehouse;
  /** The engine's clock for date phrases ("this quarter"); REVOPS_NOW pins it. Timestamps use the runtime clock. */
  now?: () => Date;
  close?: () => Promise<void>;
}

export interface RuntimeParts {
  project: LoadedProject;
  /** Replaces the engine the configuration names (tests, benches). */
  engine?: Engine;
  /** The engine's conversation store; default: `sessions/openSessionStore.ts` (DynamoDB or the data directory). */
  sessions?: SessionStore;
  /** Per channel name; default: the embedded queue under `<dataDir>/queue/<channel>`. */
  queues?: Record<string, MessageQueue>;
  /** Request status records for the channels that keep them (the webhook); default: journals under the data directory. */
  statusStore?: (retention: StatusRetention) => StatusStore;
  done?: DoneSet;
  /** Pending actions and the audit log; default: journals under `<dataDir>/approvals/`. */
  pending?: PendingStore;
  audit?: AuditLog;
  exportSink?: ExportSink;
  logger?: Logger;
  fsync?: Fsync;
  now?: () => Date;
  /** EMF lines to stdout in addition to Prometheus (the Lambda adapters ask for them). */
  emf?: boolean;
  callerAddress?: CallerAddress;
  /** Backoff overrides (tests): between delivery attempts, and before a failed message is received again. */
  backoff?: { deliveryMs?: (attempt: number) => number; retryMs?: (receiveCount: number) => number };
  /**
   * The one role this process plays (a Lambda function): `ingress` builds no engine, processor or delivery,
   * `processor` no routes and, on SQS (whose event source feeds it), no queues. Default: both, as the local server.
   */
  role?: Role;
  /** See channels/channelKind.ts `ChannelSetup.frozenAfterResponse` (true on Lambda). */
  frozenAfterResponse?: boolean;
}

export type Role = 'ingress' | 'processor';

export interface Runtime {
  config: RuntimeConfig;
  manifest: Manifest;
  app: Hono;
  /** The channels' routes a Node server may answer without Hono (channels/route.ts); `app` serves them too. */
  direct: readonly DirectRoute[];
  /** Absent in a process that plays the ingress role only. */
  processor?: Processor;
  queues: Record<string, MessageQueue>;
  logger: Logger;
  /**
   * What a queue's dead-lettering reports (metric, log, and what the channel does: the webhook marks its request
   * `failed` with the error); the queues call it themselves, the Lambda processor for the last receive SQS's event
   * source hands it. Resolves once the channel is done.
   */
  deadLettered(channel: string, dead: DeadLetter): Promise<void>;
  /** Starts the local consumer for every channel queue (not on Lambda: SQS event sources call the processor). */
  startConsumers(): Consumer[];
  close(): Promise<void>;
}

/** A runtime that plays the processor role (the local server, a processor function). */
export type ProcessingRuntime = Runtime & { processor: Processor };

const DAY_MS = 86_400_000;

/** A project without a warehouse (a processor on Bedrock Agents): a write preview says so instead of guessing. */
const noWarehouse: Warehouse = {
  dialect: 'duckdb',
  query: async () => {
    throw new WarehouseError('connection', 'no warehouse is configured for this process, so a change cannot be previewed');
  },
  close: async () => undefined,
};

/** The channels this process serves: the one REVOPS_CHANNEL names, or every one the manifest declares. */
export function servedChannels(name: string | undefined, manifest: Manifest): ManifestChannel[] {
  if (name === undefined) return [...manifest.channels];
  const channel = manifest.channels.find((c) => c.name === name);
  if (!channel) {
    throw new ConfigError('REVOPS_CHANNEL', `the manifest has no channel '${name}' (it has ${manifest.channels.map((c) => c.name).join(', ') || 'none'}); ` +
      'redeploy, or unset it to serve every channel');
  }
  return [channel];
}

const kindOf = <K extends ChannelKindName>(kind: K): ChannelKind<K> => channelKinds[kind] as ChannelKind<K>;

export async function createRuntime(config: RuntimeConfig, parts: RuntimeParts & { role: 'ingress' }): Promise<Runtime>;
export async function createRuntime(config: RuntimeConfig, parts: RuntimeParts & { role?: 'processor' }): Promise<ProcessingRuntime>;
export async function createRuntime(config: RuntimeConfig, parts: RuntimeParts): Promise<Runtime>;
export async function createRuntime(config: RuntimeConfig, parts: RuntimeParts): Promise<Runtime> {
  const { manifest } = parts.project;
  const plays = (role: Role): boolean => (parts.role ?? role) === role;
  const served = servedChannels(config.channel, manifest);
  const logger = parts.logger ?? createLogger({ level: config.logLevel, secrets: configuredSecrets(config.env) });
  const now = parts.now ?? (() => new Date());
  const prometheus = createPrometheusRegistry();
  const metrics: Metrics = parts.emf ? combineMetrics(prometheus, createEmfMetrics()) : prometheus;
  const dataDir = resolve(config.root, config.dataDir);
  const journalDamage = createJournalDamageReport({ dataDir, logger, metrics });
  const { onDamage: onJournalDamage } = journalDamage;

  // First, before any journal is opened: an engine that cannot start (a template that does not parse) stops it here.
  const engine = plays('processor') ? parts.engine ?? await createEngine(config.engine, {
    manifest, toolbox: parts.project.toolbox, env: config.env, now: parts.project.now ?? now,
    ...(parts.project.warehouse ? { warehouse: parts.project.warehouse } : {}),
    sessions: parts.sessions ?? await openSessionStore(manifest, config.env, dataDir),
  }) : undefined;

  const retentionMs = Math.max(...manifest.channels.map((c) => c.queue.retentionSeconds * 1000), 14 * DAY_MS);
  const done = engine ? parts.done ?? await createFileDoneSet(join(dataDir, 'done.jsonl'), { retentionMs, onJournalDamage }) : undefined;

  const setupOf = <K extends ChannelKindName>(channel: Extract<ManifestChannel, { kind: K }>): ChannelSetup<K> => ({
    channel, config, logger, metrics, now, dataDir, onJournalDamage, frozenAfterResponse: Boolean(parts.frozenAfterResponse),
    ...(parts.statusStore ? { statusStore: parts.statusStore } : {}),
    ...(parts.backoff?.deliveryMs ? { deliveryBackoffMs: parts.backoff.deliveryMs } : {}),
  });
  const opened = new Map<string, OpenChannel>(await Promise.all(served.map(async (channel) =>
    [channel.name, await kindOf(channel.kind).open(setupOf(channel))] as const)));

  /** One dead-lettering path for every queue: the metric, the error log, then what the channel does with it. */
  const deadLettered = async (channel: string, dead: DeadLetter): Promise<void> => {
    metrics.emit({ MessagesDeadLettered: 1 }, { source: channel, request_type: dead.message.kind });
    logger.error('message moved to the dead-letter queue', {
      correlation_id: dead.message.id, channel, receive_count: dead.receiveCount, error: dead.lastError,
    });
    const told = opened.get(channel)?.deadLettered;
    // A delivery that found another one of the same message in progress (its claim busy) fails while that one
    // answers; its dead letter must not turn the answered message into a failed one.
    if (!told || await done?.has(dead.message.dedupeKey).catch(() => false)) return;
    await told(dead);
  };
  const onDeadLetter = (channel: ManifestChannel) => (dead: DeadLetter): void => void deadLettered(channel.name, dead);
  // A processor on SQS is fed by its event source and never sends: it needs no queue.
  const queued = config.queue.backend === 'sqs' && !plays('ingress') ? [] : served;
  const queues: Record<string, MessageQueue> = { ...parts.queues, ...await sqsQueues(config, queued, onDeadLetter) };
  for (const channel of queued) {
    queues[channel.name] ??= await createLocalQueue({
      dir: join(dataDir, 'queue', channel.name),
      visibilityTimeoutMs: (config.visibilityTimeoutSeconds ?? channel.queue.visibilityTimeoutSeconds) * 1000,
      maxReceives: channel.queue.maxReceives,
      retentionMs: channel.queue.retentionSeconds * 1000,
      onDeadLetter: onDeadLetter(channel), onJournalDamage,
      ...(parts.fsync ? { fsync: parts.fsync } : {}),
    });
  }

  const processing = engine && done ? await composeProcessor(config, parts, { engine, done, served, opened, logger, metrics, now, dataDir, onJournalDamage }) : undefined;
  // In the ingress role every kind's paths answer: a served channel's ingress, or the kind's word that it is not
  // configured here. A processor serves no channel routes.
  const servedKinds = new Map(served.map((c) => [c.kind, c] as const));
  const routes = plays('ingress') ? await Promise.all((Object.keys(channelKinds) as ChannelKindName[]).map(async (kind) => {
    const channel = servedKinds.get(kind);
    return channel ? opened.get(channel.name)!.ingress(queues[channel.name]!) : kindOf(kind).unserved(metrics);
  })) : [];
  const app = createApp({
    channels: routes, logger,
    metricsText: () => prometheus.render(),
    ...(parts.callerAddress ? { callerAddress: parts.callerAddress } : {}),
    health: async () => ({
      engine: engine?.name ?? config.engine, manifest: manifest.hash.slice(0, 12),
      queues: Object.fromEntries(await Promise.all(Object.entries(queues).map(async ([name, q]) => [name, await q.stats()] as const))),
      journals: journalDamage.health(),
    }),
  });

  const consumers: Consumer[] = [];
  return {
    config, manifest, app, queues, logger, deadLettered, direct: routes.flatMap((r) => r.direct ?? []),
    ...(processing ? { processor: processing.processor } : {}),
    startConsumers() {
      if (!processing) return consumers;
      for (const [name, queue] of Object.entries(queues)) {
        consumers.push(startConsumer({
          queue, concurrency: config.concurrency,
          ...(parts.backoff?.retryMs ? { retryDelayMs: parts.backoff.retryMs } : {}),
          handle: (received) => processing.processor.process(received.message, received.receiveCount),
          onError: (error, received) => logger.warn('message processing failed', {
            channel: name, correlation_id: received?.message.id, receive_count: received?.receiveCount, error,
          }),
        }));
      }
      return consumers;
    },
    async close() {
      await Promise.all(consumers.map((c) => c.stop()));
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await Promise.all([...opened.values()].map((c) => c.close()));
      await processing?.close();
      await done?.close();
      await parts.project.close?.();
    },
  };
}

interface Composed {
  engine: Engine;
  done: DoneSet;
  served: ManifestChannel[];
  opened: Map<string, OpenChannel>;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  dataDir: string;
  onJournalDamage: OnJournalDamage;
}

/** The processor role: the engine, the served channels' deliveries, the stores it claims and records in, approvals, exports. */
async function composeProcessor(config: RuntimeConfig, parts: RuntimeParts, composed: Composed) {
  const { manifest, toolbox } = parts.project;
  const { engine, done, served, opened, logger, metrics, now, dataDir, onJournalDamage } = composed;
  const local = parts.pending ? undefined : await createFilePendingStore(join(dataDir, 'approvals', 'pending.jsonl'), { onJournalDamage });
  const pending = parts.pending ?? local!;
  const audit = parts.audit ?? await createFileAuditLog(join(dataDir, 'approvals', 'audit.jsonl'), { onJournalDamage });
  // Proposals that ran out while no server was up end now, on record; the journal is this process's alone.
  if (local) await sweepExpired(local, audit, now());

  const deliveries: Partial<Record<ChannelKindName, Delivery>> = {};
  for (const channel of served) {
    const delivery = await opened.get(channel.name)!.delivery();
    if (delivery) deliveries[channel.kind] ??= delivery;
  }
  const members = [...opened.values()].find((c) => c.members)?.members;
  const toolKinds = Object.fromEntries(manifest.tools.map((t) => [t.name, t.kind]));
  const exportSink = parts.exportSink ?? (config.exports.bucket
    ? await s3ExportSink(config, config.exports.bucket)
    : createLocalExportSink(join(dataDir, 'conversations')));
  const approvals = createApprovals({
    store: pending, audit, toolbox, channels: manifest.channels, now,
    context: { warehouse: parts.project.warehouse ?? noWarehouse, env: config.env, now },
    ...(members ? { members } : {}),
  });
  const processor = createProcessor({
    engine, deliveries, metrics, logger, done, now, toolKinds, approvals, channels: manifest.channels,
    exporter: createExporter({ sink: exportSink, now, redaction: redaction(configuredSecrets(config.env)) }),
    processed: channelMetricsOf,
  });
  return {
    processor,
    async close() {
      await pending.close();
      await audit.close();
    },
  };
}

/**
 * With REVOPS_QUEUE=sqs every channel given needs REVOPS_QUEUE_URL_<CHANNEL>; the SDK is loaded only then.
 */
async function sqsQueues(
  config: RuntimeConfig, channels: ManifestChannel[], onDeadLetter: (channel: ManifestChannel) => (dead: DeadLetter) => void,
): Promise<Record<string, MessageQueue>> {
  if (config.queue.backend !== 'sqs' || channels.length === 0) return {};
  const urls = channels.map((channel) => {
    const variable = queueUrlVariable(channel.name);
    const queueUrl = config.queue.urls[variable];
    if (!queueUrl) throw new ConfigError(variable, `REVOPS_QUEUE=sqs needs the URL of the ${channel.name} queue`);
    return { channel, queueUrl, dlq: config.queue.urls[`${variable}_DLQ`] };
  });
  const [{ SQSClient }, { createSqsQueue }] = await Promise.all([import('./aws/sqs.ts'), import('./queue/sqsQueue.ts')]);
  const client = new SQSClient({ ...(config.awsRegion ? { region: config.awsRegion } : {}) });
  return Object.fromEntries(urls.map(({ channel, queueUrl, dlq }) => [channel.name, createSqsQueue({
    client, queueUrl, visibilityTimeoutSeconds: channel.queue.visibilityTimeoutSeconds,
    maxReceives: config.queue.maxReceives ?? channel.queue.maxReceives, onDeadLetter: onDeadLetter(channel),
    ...(dlq ? { deadLetterQueueUrl: dlq } : {}),
  })]));
}

/** Exports to S3 when REVOPS_EXPORT_BUCKET is set (the Lambda processor hands its own sink, sharing its S3 client). */
async function s3ExportSink(config: RuntimeConfig, bucket: string): Promise<ExportSink> {
  const [{ S3Client }, { createS3ExportSink }] = await Promise.all([import('./aws/s3.ts'), import('./exports/s3Sink.ts')]);
  return createS3ExportSink(new S3Client({ ...(config.awsRegion ? { region: config.awsRegion } : {}) }), bucket, config.exports.prefix);
}
