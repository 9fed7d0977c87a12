/**
 * What each channel kind deploys, in one table: the routes of the HTTP API that reach its ingress function, the stack
 * output naming its public URL, the settings its functions read, what its ingress keeps in the status store. Every
 * channel of the manifest gets the same two functions from it (components/channelDeployment.ts): the `ingress`
 * bundle and the `processor` bundle, told which channel they serve by REVOPS_CHANNEL. infra imports no runtime code,
 * so the paths here repeat the runtime's channel routes (runtime/channels/<kind>/routes.ts); a test holds them equal.
 */
import type { ManifestChannel } from '../compiler/manifest.ts';

export type ChannelKindName = ManifestChannel['kind'];

/** The two functions every channel has. */
export type ChannelFunction = 'ingress' | 'processor';

/** The stack outputs that name a channel's public URL (infra/index.ts exports each). */
export type ChannelUrlOutput = 'slackEventsUrl' | 'webhookUrl';

export interface ChannelInfra<K extends ChannelKindName> {
  /** API Gateway route keys to the ingress function, each with a short id for resource names. */
  routes: Array<{ id: string; routeKey: string }>;
  url?: { output: ChannelUrlOutput; path: string };
  /** The settings its functions read (infra/settingsCatalog.ts), and which of them read each. */
  settings: Array<{ env: string; secret: boolean; usedBy: ChannelFunction[] }>;
  /** Its ingress writes request status records and withdraws idempotency claims (under the status prefix). */
  ingressKeepsStatus: boolean;
  /** How long request status records are kept, when the channel keeps them. */
  statusRetentionDays?(channel: Extract<ManifestChannel, { kind: K }>): number;
}

export const CHANNEL_INFRA: { [K in ChannelKindName]: ChannelInfra<K> } = {
  slack: {
    routes: [{ id: 'slack-events', routeKey: 'POST /slack/events' }],
    url: { output: 'slackEventsUrl', path: '/slack/events' },
    // The processor needs the signing secret too: the runtime opens Slack (and its delivery) only with both.
    settings: [
      { env: 'SLACK_SIGNING_SECRET', secret: true, usedBy: ['ingress', 'processor'] },
      { env: 'SLACK_BOT_TOKEN', secret: true, usedBy: ['ingress', 'processor'] },
    ],
    ingressKeepsStatus: false,
  },
  webhook: {
    // The preflights go to the ingress too: it answers them from the same table as the routes, so API Gateway's own
    // CORS settings would be a second copy of the allowed headers.
    routes: [
      { id: 'webhook', routeKey: 'POST /webhook' }, { id: 'webhook-status', routeKey: 'GET /webhook/{tracking_id}' },
      { id: 'webhook-approve', routeKey: 'POST /webhook/{tracking_id}/approve' }, { id: 'webhook-reject', routeKey: 'POST /webhook/{tracking_id}/reject' },
      { id: 'webhook-preflight', routeKey: 'OPTIONS /webhook' }, { id: 'webhook-status-preflight', routeKey: 'OPTIONS /webhook/{tracking_id}' },
      { id: 'webhook-approve-preflight', routeKey: 'OPTIONS /webhook/{tracking_id}/approve' },
      { id: 'webhook-reject-preflight', routeKey: 'OPTIONS /webhook/{tracking_id}/reject' },
    ],
    url: { output: 'webhookUrl', path: '/webhook' },
    settings: [
      { env: 'WEBHOOK_API_KEYS', secret: true, usedBy: ['ingress'] },
      { env: 'WEBHOOK_SIGNING_SECRET', secret: true, usedBy: ['ingress', 'processor'] },
    ],
    ingressKeepsStatus: true,
    statusRetentionDays: (channel) => channel.statusRetentionDays,
  },
};

export const channelInfra = <K extends ChannelKindName>(channel: Extract<ManifestChannel, { kind: K }>): ChannelInfra<K> =>
  CHANNEL_INFRA[channel.kind] as ChannelInfra<K>;
