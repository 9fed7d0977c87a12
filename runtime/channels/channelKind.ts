/**
 * The channel contract: what one channel kind (compiler/manifest.ts `ManifestChannel['kind']`) gives the runtime.
 * The kinds are listed in one table (channels.ts); the composition (runtime/wiring.ts), the HTTP app, the processor
 * and the Lambda adapters reach a channel only through this contract, so a new kind is its folder here and a line
 * in that table.
 */
import type { Context, Hono } from 'hono';
import type { ManifestChannel } from '../../compiler/manifest.ts';
import type { GroupMembers } from '../approvals/approvers.ts';
import type { RuntimeConfig } from '../config.ts';
import type { Logger } from '../logging/logger.ts';
import type { Metrics, MetricValues } from '../metrics/metrics.ts';
import type { Delivery, InboundMessage } from '../processing/inbound.ts';
import type { DeadLetter, MessageQueue } from '../queue/queue.ts';
import type { OnJournalDamage } from '../queue/recoverJournal.ts';
import type { CallerInfo, DirectRoute } from './route.ts';
import type { StatusRetention, StatusStore } from './webhook/statusStore.ts';

export type ChannelKindName = ManifestChannel['kind'];
export type ChannelOf<K extends ChannelKindName> = Extract<ManifestChannel, { kind: K }>;
export type InboundOf<K extends ChannelKindName> = Extract<InboundMessage, { kind: K }>;

/** What the composition hands one channel of the manifest when it opens it. */
export interface ChannelSetup<K extends ChannelKindName> {
  channel: ChannelOf<K>;
  config: RuntimeConfig;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  /** Where local state lives (`<root>/<REVOPS_DATA_DIR>`), and who hears of damaged journal records there. */
  dataDir: string;
  onJournalDamage: OnJournalDamage;
  /** The deployment's request status records (S3 on Lambda); without it a kind that keeps them journals them under dataDir. */
  statusStore?: (retention: StatusRetention) => StatusStore;
  /**
   * The host stops a process's work once it has answered (Lambda): what an ingress would finish after its response
   * (a status record, an acknowledgement) is done before it instead.
   */
  frozenAfterResponse: boolean;
  /** Between delivery attempts (tests make it 0). */
  deliveryBackoffMs?: (attempt: number) => number;
}

/** A kind's HTTP surface on the runtime's app (runtime/server/createApp.ts). */
export interface ChannelRoutes {
  /** The largest body each of its paths accepts (runtime/server/bodyLimit.ts; unlisted paths get the small default). */
  bodyLimits: Readonly<Record<string, number>>;
  /** Told of every body the limit refused, whatever its path, after the log line. */
  bodyRefused?(path: string): void;
  mount(app: Hono, callerInfo: (c: Context) => CallerInfo): void;
  /**
   * Routes the Node server may answer without Hono (channels/route.ts); each is mounted on the Hono app too, by
   * `mount`, for Lambda and for the requests the Node server hands on.
   */
  direct?: readonly DirectRoute[];
}

/** One channel of the manifest, opened for the roles this process plays; each side is built only when asked for. */
export interface OpenChannel {
  /** The ingress role: its routes, sending what they accept to the channel's queue. */
  ingress(queue: MessageQueue): Promise<ChannelRoutes>;
  /** The processor role: its side of processing; undefined when not configured (its messages then fail, retried). */
  delivery(): Promise<Delivery | undefined>;
  /** Told of each of its messages moved to the dead-letter queue, after the metric and the log line. */
  deadLettered?(dead: DeadLetter): Promise<void>;
  /** Who is in an approver group, when the channel has groups (Slack user groups); read at each decision. */
  members?: GroupMembers;
  close(): Promise<void>;
}

export interface ChannelKind<K extends ChannelKindName> {
  open(setup: ChannelSetup<K>): Promise<OpenChannel>;
  /** Its routes where this process serves no channel of the kind: each answers that it is not configured. */
  unserved(metrics: Metrics): ChannelRoutes;
  /** The `source` dimension of a processed message's metrics, and what it adds to them. */
  processed(message: InboundOf<K>): { source: string; counts?: MetricValues };
  /**
   * The modules each role imports from the kind, for a cold start to load while its secrets are fetched (module
   * loading is CPU, the fetch I/O); `ingressKeepsStatus`: its ingress writes request status records (on Lambda,
   * to S3, whose client is then loaded too).
   */
  preload: { ingress(): Promise<unknown>; delivery(): Promise<unknown>; ingressKeepsStatus: boolean };
}
