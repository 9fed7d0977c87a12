/**
 * The runtime's composition root: from configuration and a loaded project (manifest, toolbox) it builds the engine,
 * one queue per channel, the deliveries, the processor, the exporter, metrics and the HTTP app. The local server
 * (`revops serve`) uses it with the embedded queue and the local consumer; the Lambda adapters use it with SQS and
 * S3 (`config.queue.backend = 'sqs'`, REVOPS_EXPORT_BUCKET) and call `processor.process` from the SQS handler.
 * It never loads specs itself (the CLI or the Lambda bundle hands it the manifest), so Lambda bundles stay free of
 * the compiler.
 */
import { join, resolve } from 'node:path';
import type { Context } from 'hono';
import { isSlackChannel, isWebhookChannel, queueUrlVariable, type Manifest, type ManifestChannel } from '../compiler/manifest.ts';
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
import { createProcessor, type Processor } from './processing/processor.ts';
import { createFileDoneSet, type DoneSet } from './processing/doneSet.ts';
import type { Delivery } from './processing/inbound.ts';
import { createExporter } from './exports/exporter.ts';
import { createLocalExportSink } from './exports/localSink.ts';
import type { ExportSink } from './exports/layout.ts';
import { createFileStatusStore, createWebhookDelivery, createWebhookIngress, type StatusStore } from './channels/webhook/index.ts';
import type { CallerInfo } from './channels/webhook/ingress.ts';
import { createApp, type SlackRoute } from './server/createApp.ts';
import { createApprovals } from './approvals/approvals.ts';
import { createFileAuditLog, type AuditLog } from './approvals/auditLog.ts';
import type { GroupMembers } from './approvals/approvers.ts';
import { createFilePendingStore, type PendingStore } from './approvals/pendingStore.ts';
import { WarehouseError } from './warehouse/warehouse.ts';
import { once } from './once.ts';
import { deliveryOnFirstUse, engineOnFirstUse, exportSinkOnFirstUse, queueOnFirstUse, routeOnFirstUse } from './firstUse.ts';
import type { Hono } from 'hono';

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
  status?: StatusStore;
  done?: DoneSet;
  /** Pending actions and the audit log; default: journals under `<dataDir>/approvals/`. */
  pending?: PendingStore;
  audit?: AuditLog;
  exportSink?: ExportSink;
  logger?: Logger;
  fsync?: Fsync;
  now?: () => Date;
  /** EMF lines to stdout in addition to Prometheus (on by default on Lambda). */
  emf?: boolean;
  callerInfo?: (c: Context) => CallerInfo;
  /** Backoff overrides (tests): between delivery attempts, and before a failed message is received again. */
  backoff?: { deliveryMs?: (attempt: number) => number; retryMs?: (receiveCount: number) => number };
  /**
   * The one side this process serves, when it serves one (default: both, as the local server does). A Lambda
   * function does: the ingress functions the HTTP app, the processor the queue. The other side's heavy parts (the
   * engine; the Slack ingress with Bolt's App; the SQS queues the ingress sends to) are then built on first use
   * instead of at creation, so a cold start neither loads nor constructs them (issue 6: cold start under 300 ms over
   * bare node). The side served is built at creation as always, so its failures still surface there — except the
   * Slack delivery, always built on first use (a processor also serves webhook messages, which never need it).
   */
  serves?: 'http' | 'queue';
  /**
   * The platform freezes the process once a response is returned (Lambda): work an ingress would otherwise leave
   * running after its answer — the webhook's 'queued' status record, Slack's in-thread acknowledgement — is done
   * before responding instead.
   */
  frozenAfterResponse?: boolean;
}

export interface Runtime {
  config: RuntimeConfig;
  manifest: Manifest;
  app: Hono;
  processor: Processor;
  queues: Record<string, MessageQueue>;
  logger: Logger;
  /**
   * What a queue's dead-lettering reports (metric, log, webhook status `failed` with the error); the queues call it
   * themselves, the Lambda processor for the last receive SQS's event source hands it. Resolves once the status is written.
   */
  deadLettered(channel: string, dead: DeadLetter): Promise<void>;
  /** Starts the local consumer for every channel queue (not on Lambda: SQS event sources call the processor). */
  startConsumers(): Consumer[];
  close(): Promise<void>;
}

const DAY_MS = 86_400_000;

/** A project without a warehouse (a processor on Bedrock Agents): a write preview says so instead of guessing. */
const noWarehouse: Warehouse = {
  dialect: 'duckdb',
  query: async () => {
    throw new WarehouseError('connection', 'no warehouse is configured for this process, so a change cannot be previewed');
  },
  close: async () => undefined,
};

export async function createRuntime(config: RuntimeConfig, parts: RuntimeParts): Promise<Runtime> {
  const { manifest, toolbox } = parts.project;
  const logger = parts.logger ?? createLogger({ level: config.logLevel });
  const now = parts.now ?? (() => new Date());
  const prometheus = createPrometheusRegistry();
  const metrics: Metrics = parts.emf ?? Boolean(config.env.AWS_LAMBDA_FUNCTION_NAME)
    ? combineMetrics(prometheus, createEmfMetrics()) : prometheus;
  const builtNow = (side: 'http' | 'queue') => (parts.serves ?? side) === side;
  const dataDir = resolve(config.root, config.dataDir);
  const makeEngine = async () => createEngine(config.engine, {
    manifest, toolbox, env: config.env, now: parts.project.now ?? now, ...(parts.project.warehouse ? { warehouse: parts.project.warehouse } : {}),
    sessions: parts.sessions ?? await openSessionStore(manifest, config.env, dataDir),
  });
  const engine = parts.engine ?? (builtNow('queue') ? await makeEngine() : engineOnFirstUse(config.engine, once(makeEngine)));
  const retentionMs = Math.max(...manifest.channels.map((c) => c.queue.retentionSeconds * 1000), 14 * DAY_MS);
  const webhookChannel = manifest.channels.find(isWebhookChannel);
  const slackChannel = manifest.channels.find(isSlackChannel);
  const journalDamage = createJournalDamageReport({ dataDir, logger, metrics });
  const { onDamage: onJournalDamage } = journalDamage;
  const status = parts.status ?? await createFileStatusStore(join(dataDir, 'webhook', 'status.jsonl'), {
    ...(webhookChannel ? { retentionMs: webhookChannel.statusRetentionDays * DAY_MS } : {}), now: () => now().getTime(), onJournalDamage,
  });
  const done = parts.done ?? await createFileDoneSet(join(dataDir, 'done.jsonl'), { retentionMs, onJournalDamage });
  const pending = parts.pending ?? await createFilePendingStore(join(dataDir, 'approvals', 'pending.jsonl'), { onJournalDamage });
  const audit = parts.audit ?? await createFileAuditLog(join(dataDir, 'approvals', 'audit.jsonl'), { onJournalDamage });

  /** One dead-lettering path for every queue: the metric, the error log, and a webhook request marked failed. */
  const deadLettered = async (channel: string, dead: DeadLetter): Promise<void> => {
    metrics.emit({ MessagesDeadLettered: 1 }, { source: channel, request_type: dead.message.kind });
    logger.error('message moved to the dead-letter queue', {
      correlation_id: dead.message.id, channel, receive_count: dead.receiveCount, error: dead.lastError,
    });
    if (dead.message.kind !== 'webhook') return;
    // A delivery that found another one of the same message in progress (its claim busy) fails while that one
    // answers; its dead letter must not turn the answered request into a failed one.
    if (await done.has(dead.message.dedupeKey).catch(() => false)) return;
    await status.update(dead.message.webhook.trackingId, {
      status: 'failed', updated_at: now().toISOString(),
      error: { code: 'delivery_failed', message: dead.lastError ?? `failed ${dead.receiveCount} times` },
    }).catch((error: unknown) => logger.error('status write failed', { correlation_id: dead.message.id, error }));
  };
  const onDeadLetter = (channel: ManifestChannel) => (dead: DeadLetter): void => void deadLettered(channel.name, dead);
  const queues: Record<string, MessageQueue> = { ...parts.queues, ...await sqsQueues(config, manifest, builtNow('http'), onDeadLetter) };
  for (const channel of manifest.channels) {
    queues[channel.name] ??= await createLocalQueue({
      dir: join(dataDir, 'queue', channel.name),
      visibilityTimeoutMs: (config.visibilityTimeoutSeconds ?? channel.queue.visibilityTimeoutSeconds) * 1000,
      maxReceives: channel.queue.maxReceives,
      retentionMs: channel.queue.retentionSeconds * 1000,
      onDeadLetter: onDeadLetter(channel), onJournalDamage,
      ...(parts.fsync ? { fsync: parts.fsync } : {}),
    });
  }

  const deliveries: Partial<Record<'slack' | 'webhook', Delivery>> = {};
  if (webhookChannel) {
    deliveries.webhook = createWebhookDelivery({
      channel: webhookChannel, status, logger, metrics,
      ...(config.webhook.url ? { webhookUrl: config.webhook.url } : {}),
      ...(config.webhook.signingSecret ? { signingSecret: config.webhook.signingSecret } : {}),
      ...(parts.backoff?.deliveryMs ? { backoffMs: parts.backoff.deliveryMs } : {}),
    });
  }
  const slack = slackChannel
    ? await mountSlack(config, slackChannel, queues, logger, builtNow('http'), Boolean(parts.frozenAfterResponse))
    : undefined;
  if (slack?.delivery) deliveries.slack = slack.delivery;

  const toolKinds = Object.fromEntries(manifest.tools.map((t) => [t.name, t.kind]));
  const exportSink = parts.exportSink ?? (config.exports.bucket
    ? s3ExportSink(config, config.exports.bucket)
    : createLocalExportSink(join(dataDir, 'conversations')));
  const exporter = createExporter({ sink: exportSink, now });
  const approvals = createApprovals({
    store: pending, audit, toolbox, channels: manifest.channels, now,
    context: { warehouse: parts.project.warehouse ?? noWarehouse, env: config.env, now },
    ...(slack?.members ? { members: slack.members } : {}),
  });
  const processor = createProcessor({ engine, deliveries, exporter, metrics, logger, done, now, toolKinds, approvals, channels: manifest.channels });
  const webhook = webhookChannel && queues[webhookChannel.name]
    ? createWebhookIngress({
      channel: webhookChannel, secrets: { apiKeys: config.webhook.apiKeys, ...(config.webhook.signingSecret ? { signingSecret: config.webhook.signingSecret } : {}) },
      queue: queues[webhookChannel.name]!, status, logger, metrics, now: () => now().getTime(),
      awaitStatus: Boolean(parts.frozenAfterResponse),
    })
    : undefined;

  const app = createApp({
    ...(webhook ? { webhook } : {}),
    ...(webhookChannel ? { webhookMaxBodyBytes: webhookChannel.limits.maxBodyBytes } : {}),
    bodyRefused: (path) => {
      if (path === '/webhook') metrics.emit({ WebhookRequestsRejected: 1 }, { source: 'webhook', request_type: 'too_large' });
    },
    ...(slack?.route ? { slack: slack.route } : {}),
    ...(slack?.unavailable ? { slackUnavailable: slack.unavailable } : {}),
    logger,
    metricsText: () => prometheus.render(),
    ...(parts.callerInfo ? { callerInfo: parts.callerInfo } : {}),
    health: async () => ({
      engine: engine.name, manifest: manifest.hash.slice(0, 12),
      queues: Object.fromEntries(await Promise.all(Object.entries(queues).map(async ([name, q]) => [name, await q.stats()] as const))),
      journals: journalDamage.health(),
    }),
  });

  const consumers: Consumer[] = [];
  return {
    config, manifest, app, processor, queues, logger, deadLettered,
    startConsumers() {
      for (const [name, queue] of Object.entries(queues)) {
        consumers.push(startConsumer({
          queue, concurrency: config.concurrency,
          ...(parts.backoff?.retryMs ? { retryDelayMs: parts.backoff.retryMs } : {}),
          handle: (received) => processor.process(received.message, received.receiveCount),
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
      await status.close();
      await done.close();
      await pending.close();
      await audit.close();
      await parts.project.close?.();
    },
  };
}

/**
 * With REVOPS_QUEUE=sqs every channel needs REVOPS_QUEUE_URL_<CHANNEL> (checked at creation either way); the SDK is
 * loaded only then, and, unless `buildNow`, on first use (a processor on Lambda is fed by an SQS event source and
 * never sends).
 */
async function sqsQueues(
  config: RuntimeConfig, manifest: Manifest, buildNow: boolean, onDeadLetter: (channel: ManifestChannel) => (dead: DeadLetter) => void,
): Promise<Record<string, MessageQueue>> {
  if (config.queue.backend !== 'sqs') return {};
  const client = once(async () => {
    const { SQSClient } = await import('./aws/sqs.ts');
    return new SQSClient({ ...(config.awsRegion ? { region: config.awsRegion } : {}) });
  });
  const queues = manifest.channels.map((channel) => {
    const variable = queueUrlVariable(channel.name);
    const queueUrl = config.queue.urls[variable];
    if (!queueUrl) throw new ConfigError(variable, `REVOPS_QUEUE=sqs needs the URL of the ${channel.name} queue`);
    const dlq = config.queue.urls[`${variable}_DLQ`];
    const queue = once(async () => (await import('./queue/sqsQueue.ts')).createSqsQueue({
      client: await client(), queueUrl, visibilityTimeoutSeconds: channel.queue.visibilityTimeoutSeconds,
      maxReceives: config.queue.maxReceives ?? channel.queue.maxReceives, onDeadLetter: onDeadLetter(channel),
      ...(dlq ? { deadLetterQueueUrl: dlq } : {}),
    }));
    return [channel.name, queue] as const;
  });
  return Object.fromEntries(await Promise.all(queues.map(async ([name, queue]) => [name, buildNow ? await queue() : queueOnFirstUse(queue)])));
}

/**
 * Exports to S3 with the SDK loaded and the client made on the first export: only a processor exports, and nothing
 * in making a client can fail worth reporting at startup.
 */
function s3ExportSink(config: RuntimeConfig, bucket: string): ExportSink {
  return exportSinkOnFirstUse(once(async () => {
    const [{ S3Client }, { createS3ExportSink }] = await Promise.all([import('./aws/s3.ts'), import('./exports/s3Sink.ts')]);
    return createS3ExportSink(new S3Client({ ...(config.awsRegion ? { region: config.awsRegion } : {}) }), bucket, config.exports.prefix);
  }));
}

/**
 * Slack is optional: without credentials the route answers 503 with what to set, and the server still runs. The
 * ingress and the delivery are imported apart (not through the channel's index) so a process building only one
 * never loads the other's dependencies (the delivery's Markdown converter, the ingress's listeners). The route is
 * built at creation when this process serves HTTP (`buildRouteNow`, RuntimeParts.serves), so its failures surface
 * there; the delivery is built on first use.
 */
async function mountSlack(
  config: RuntimeConfig, channel: Extract<ManifestChannel, { kind: 'slack' }>, queues: Record<string, MessageQueue>, logger: Logger,
  buildRouteNow: boolean, frozenAfterResponse: boolean,
): Promise<{ route?: SlackRoute; delivery?: Delivery; unavailable?: string; members?: GroupMembers }> {
  const { signingSecret, botToken, apiUrl } = config.slack;
  if (!signingSecret || !botToken) {
    const missing = [signingSecret ? '' : 'SLACK_SIGNING_SECRET', botToken ? '' : 'SLACK_BOT_TOKEN'].filter(Boolean).join(' and ');
    return { unavailable: `Slack is not configured: set ${missing} and restart the server.` };
  }
  const queue = queues[channel.name]!;
  const settings = { channel, botToken, logger, ...(apiUrl ? { apiUrl } : {}) };
  const route = once(async () => (await import('./channels/slack/ingress.ts'))
    .createSlackIngress({
      ...settings, signingSecret, enqueue: (message) => queue.send(message), postAckInBackground: !frozenAfterResponse,
    }));
  const delivery = once(async () => (await import('./channels/slack/delivery.ts')).createSlackDelivery(settings));
  const client = once(async () => (await import('./channels/slack/webClient.ts')).createWebClient(botToken, settings));
  return {
    // Read when someone clicks Approve, so a change to the group counts at once.
    members: async (usergroup) => (await (await client()).usergroups.users.list({ usergroup })).users ?? [],
    route: buildRouteNow ? await route() : routeOnFirstUse(route),
    // Always on first use: a processor serving both channels need not load the Markdown converter and the Web API
    // client for webhook messages, and making a WebClient cannot fail in a way worth reporting at startup.
    delivery: deliveryOnFirstUse(delivery),
  };
}
