/**
 * Slack's HTTP surface: `POST /slack/events` (events and Approve / Cancel clicks, one URL) with Slack's body limit.
 * Without credentials the route answers 503 with what to set, and the server still runs.
 */
import type { ChannelRoutes } from '../channelKind.ts';

/**
 * Slack documents no request size, only what a payload carries: message text up to 40,000 characters (api.slack.com
 * changelog 2018-04, truncating really long messages) and up to 50 blocks. An `app_mention` or `message.im` event
 * carries the text twice (`text` and its `rich_text` block); 40,000 characters at the worst JSON escape (12 bytes
 * for an astral character as two `\uXXXX`) twice is 960 KB, so 1 MiB holds any real event with the envelope.
 */
export const SLACK_MAX_BODY_BYTES = 1_048_576;

export const SLACK_NOT_CONFIGURED = 'Slack is not configured: set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN and restart the server.';

export interface SlackRoute {
  handle(request: Request): Promise<Response>;
}

/** The route to the ingress, or, when Slack cannot be served here, one that says why (`unavailable`). */
export function slackRoutes(served: SlackRoute | { unavailable: string }): ChannelRoutes {
  return {
    bodyLimits: { '/slack/events': SLACK_MAX_BODY_BYTES },
    mount(app) {
      app.post('/slack/events', async (c) => ('handle' in served
        ? served.handle(c.req.raw)
        : c.json({ ok: false, error: 'slack_not_configured', message: served.unavailable }, 503)));
    },
  };
}
