/**
 * The Slack app manifest (https://api.slack.com/reference/manifests) for the Slack channel spec: bot name, the
 * scopes the runtime uses and the events it subscribes to, pointed at the stack's `/slack/events` URL. Paste it at
 * api.slack.com/apps -> Create New App -> From an app manifest.
 */
import type { ManifestSlackChannel } from '../compiler/manifest.ts';

export const SLACK_URL_PLACEHOLDER = 'https://REPLACE-WITH-slackEventsUrl.example.com/slack/events';

/** What the runtime does with Slack: read mentions and DMs, post and edit replies in threads. */
const BOT_SCOPES = ['app_mentions:read', 'chat:write', 'channels:history', 'groups:history', 'im:history', 'im:read',
  'im:write', 'users:read'];
const BOT_EVENTS = ['app_mention', 'message.im'];

export function slackAppManifest(channel: ManifestSlackChannel, requestUrl: string) {
  return {
    display_information: { name: channel.botName, description: `RevOps assistant (${channel.entry})` },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      bot_user: { display_name: channel.botName, always_online: true },
    },
    oauth_config: { scopes: { bot: BOT_SCOPES } },
    settings: {
      event_subscriptions: { request_url: requestUrl, bot_events: BOT_EVENTS },
      org_deploy_enabled: false,
      socket_mode_enabled: false,
      token_rotation_enabled: false,
    },
  };
}
