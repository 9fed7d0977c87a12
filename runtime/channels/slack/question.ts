/**
 * Pure rules that turn one Slack event into a question for the agents, or say why it is not one. Kept apart from
 * Bolt so the rules are tested as a table: which events count (mentions, and direct messages in an IM), which are
 * ignored (bot posts, the bot's own posts, edits and other message subtypes), how the mention is stripped, and the
 * thread-as-session rule (one session per thread of one workspace, whoever writes in it — the seed keyed sessions
 * per user per thread, so a colleague's follow-up lost the context).
 */
import type { ManifestSlackChannel } from '../../../compiler/manifest.ts';
import type { SlackInbound } from '../../processing/inbound.ts';
import { sessionKey } from '../../processing/sessionKey.ts';

/** The fields of an `app_mention` / `message` event this channel reads. */
export interface SlackEventFields {
  type: string;
  subtype?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  channel?: string;
  team?: string;
  edited?: unknown;
}

export interface SlackQuestion {
  /** Idempotency key: the envelope's `event_id` (stable across Slack's retries). */
  eventId: string;
  channel: string;
  threadTs: string;
  user: string;
  team?: string;
  /**
   * The workspace the app received the event in (the envelope's `team_id`): in a channel shared between
   * organisations, `team` is the writer's own, which would split one thread into one session per organisation.
   */
  workspace?: string;
  text: string;
}

export type EventVerdict = { accept: true; question: SlackQuestion } | { accept: false; reason: string };

/** Slack escapes these three in message text (api.slack.com/reference/surfaces/formatting#escaping). */
const unescapeSlack = (text: string): string => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Removes the bot's own mention (`<@U123>` or `<@U123|revbot>`) anywhere; without a known bot id, a leading one. */
export function stripMention(text: string, botUserId?: string): string {
  const own = botUserId
    ? new RegExp(`<@${botUserId.replace(/[^A-Za-z0-9]/g, '')}(?:\\|[^>]*)?>`, 'g')
    : /^\s*<@[A-Z0-9]+(?:\|[^>]*)?>/;
  return unescapeSlack(text.replace(own, ' ')).replace(/\s+/g, ' ').trim();
}

export function sessionIdFor(question: Pick<SlackQuestion, 'workspace' | 'channel' | 'threadTs'>): string {
  return sessionKey({ kind: 'slack', scope: [question.workspace, question.channel] }, question.threadTs);
}

export function questionFromEvent(
  envelope: { event_id?: string; team_id?: string },
  event: SlackEventFields,
  botUserId?: string,
): EventVerdict {
  const isMention = event.type === 'app_mention';
  const isDirect = event.type === 'message' && event.channel_type === 'im';
  if (!isMention && !isDirect) return { accept: false, reason: `event type ${event.type} is not handled` };
  if (event.subtype) return { accept: false, reason: `message subtype ${event.subtype} is ignored` };
  if (event.bot_id) return { accept: false, reason: 'bot messages are ignored' };
  if (event.edited) return { accept: false, reason: 'edits are ignored' };
  if (!event.user || !event.channel || !event.ts) return { accept: false, reason: 'event lacks user, channel or ts' };
  if (botUserId && event.user === botUserId) return { accept: false, reason: 'the bot does not answer itself' };
  const team = event.team ?? envelope.team_id;
  const workspace = envelope.team_id ?? event.team;
  return {
    accept: true,
    question: {
      eventId: envelope.event_id ?? `${team ?? '-'}:${event.channel}:${event.ts}`,
      channel: event.channel,
      threadTs: event.thread_ts ?? event.ts,
      user: event.user,
      ...(team ? { team } : {}),
      ...(workspace ? { workspace } : {}),
      text: stripMention(event.text ?? '', botUserId),
    },
  };
}

export function inboundFor(
  question: SlackQuestion,
  spec: ManifestSlackChannel,
  accepted: { id: string; receivedAt: Date; ackTs?: string },
): SlackInbound {
  return {
    kind: 'slack',
    id: accepted.id,
    dedupeKey: question.eventId,
    channel: spec.name,
    agent: spec.entry,
    text: question.text,
    sessionId: sessionIdFor(question),
    receivedAt: accepted.receivedAt.toISOString(),
    slack: {
      channel: question.channel,
      threadTs: question.threadTs,
      user: question.user,
      ...(question.team ? { team: question.team } : {}),
      ...(accepted.ackTs ? { ackTs: accepted.ackTs } : {}),
    },
  };
}
