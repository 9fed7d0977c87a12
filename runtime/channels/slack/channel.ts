/**
 * The Slack channel kind (channelKind.ts). The ingress (Bolt's App and its listeners), the delivery (the Markdown
 * converter, the Web API client) and the client that reads user groups are imported apart and only by the role
 * that uses them, so a process building one never loads the others' dependencies.
 */
import type { ChannelKind } from '../channelKind.ts';
import { once } from '../../once.ts';
import { SLACK_NOT_CONFIGURED, slackRoutes } from './routes.ts';

const ingressModule = () => import('./ingress.ts');
const deliveryModule = () => import('./delivery.ts');

export const slackChannel: ChannelKind<'slack'> = {
  async open({ channel, config, logger, frozenAfterResponse }) {
    const { signingSecret, botToken, apiUrl } = config.slack;
    if (!signingSecret || !botToken) {
      const missing = [signingSecret ? '' : 'SLACK_SIGNING_SECRET', botToken ? '' : 'SLACK_BOT_TOKEN'].filter(Boolean).join(' and ');
      const unavailable = `Slack is not configured: set ${missing} and restart the server.`;
      return { ingress: async () => slackRoutes({ unavailable }), delivery: async () => undefined, close: async () => undefined };
    }
    const settings = { channel, botToken, logger, ...(apiUrl ? { apiUrl } : {}) };
    const client = once(async () => (await import('./webClient.ts')).createWebClient(botToken, settings));
    return {
      ingress: async (queue) => slackRoutes((await ingressModule()).createSlackIngress({
        ...settings, signingSecret, enqueue: (message) => queue.send(message), postAckInBackground: !frozenAfterResponse,
      })),
      delivery: async () => (await deliveryModule()).createSlackDelivery(settings),
      // Read when someone clicks Approve, so a change to the group counts at once; the client is made on the first
      // group rule only (most approver rules name people, not groups).
      members: async (usergroup) => (await (await client()).usergroups.users.list({ usergroup })).users ?? [],
      close: async () => undefined,
    };
  },
  unserved: () => slackRoutes({ unavailable: SLACK_NOT_CONFIGURED }),
  processed: (message) => ({ source: message.channel, counts: { SlackMessagesProcessed: 1 } }),
  preload: { ingress: ingressModule, delivery: deliveryModule, ingressKeepsStatus: false },
};
