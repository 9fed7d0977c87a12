/**
 * The Slack side of processing (runtime/processing/inbound.ts `Delivery`).
 *
 * Progress: each trace event becomes at most one line (progressText.ts), paced (progressPacer.ts), and shown by
 * `chat.update` of the acknowledgement. Edits for one message run one after another on a chain the engine never
 * waits for, so slow Slack calls do not slow the agents; a failed edit is logged and skipped (progress is a
 * courtesy). The acknowledgement's ts comes from `slack.ackTs` (Lambda ingress), else from the AckRegistry (local
 * ingress posted it in the background); when neither knows it, the first progress line is posted as a new message
 * and edited from then on.
 *
 * Approval: an action waiting for approval is posted with Approve / Cancel buttons (approvalBlocks.ts); a decision
 * edits that message to how it ended and posts the result in the thread; a click that changed nothing (a second
 * click, someone not allowed to approve) is answered to the clicker alone (an ephemeral message).
 *
 * Answer: posted as new message(s) in the thread — new messages notify the user, which edits do not, and a long
 * answer needs several — then the acknowledgement is edited to a short "done" line. A Web API failure while
 * posting the answer throws, so the queue retries; parts already posted in this process are not posted again.
 */
import type { ManifestSlackChannel } from '../../../compiler/manifest.ts';
import type { TraceEvent } from '../../engines/trace.ts';
import type { Logger } from '../../logging/logger.ts';
import type { Delivery, InboundMessage, Outcome, SlackInbound } from '../../processing/inbound.ts';
import { processAckRegistry, type AckRegistry } from './ackRegistry.ts';
import { decidedBlocks, decidedHeadline, proposalBlocks } from './approvalBlocks.ts';
import { SlackChannelError } from './errors.ts';
import { toMrkdwn } from './mrkdwn.ts';
import { initialPacer, pace, type PacerState } from './progressPacer.ts';
import { progressText } from './progressText.ts';
import { replyFor } from './reply.ts';
import { slackMessages } from './splitMessage.ts';
import { createWebClient, type WebClientSettings } from './webClient.ts';

export interface SlackDeliveryDeps extends WebClientSettings {
  channel: ManifestSlackChannel;
  botToken: string;
  logger: Logger;
  now?: () => Date;
  acks?: AckRegistry;
}

interface Conversation {
  ackTs?: Promise<string | undefined>;
  pacer: PacerState;
  edits: Promise<void>;
  /** Answer messages already posted (a retried `deliver` in this process continues after them). */
  posted: number;
}

const MAX_TRACKED = 10_000;

function slackOnly(message: InboundMessage): SlackInbound {
  if (message.kind !== 'slack') {
    throw new SlackChannelError('slack_bad_request', `Slack delivery got a ${message.kind} message (${message.id}); route messages by their channel.`);
  }
  return message;
}

export function createSlackDelivery(deps: SlackDeliveryDeps): Delivery {
  const { logger } = deps;
  const now = deps.now ?? (() => new Date());
  const acks = deps.acks ?? processAckRegistry;
  const client = createWebClient(deps.botToken, deps);
  const conversations = new Map<string, Conversation>();
  const ack = deps.channel.acknowledgement;

  const conversationFor = (message: SlackInbound): Conversation => {
    let c = conversations.get(message.id);
    if (!c) {
      c = { pacer: initialPacer(), edits: Promise.resolve(), posted: 0 };
      conversations.set(message.id, c);
      if (conversations.size > MAX_TRACKED) conversations.delete(conversations.keys().next().value as string);
    }
    return c;
  };

  const ackTsOf = (message: SlackInbound, c: Conversation): Promise<string | undefined> =>
    (c.ackTs ??= message.slack.ackTs ? Promise.resolve(message.slack.ackTs) : acks.lookup(message.dedupeKey));

  const setStatus = async (message: SlackInbound, c: Conversation, line: string, postIfMissing: boolean) => {
    const { channel, threadTs } = message.slack;
    const text = `${ack}\n> ${line}`;
    const ts = await ackTsOf(message, c);
    if (ts) {
      await client.chat.update({ channel, ts, text });
    } else if (postIfMissing) {
      const posted = await client.chat.postMessage({ channel, thread_ts: threadTs, text, unfurl_links: false, unfurl_media: false });
      c.ackTs = Promise.resolve(posted.ts);
    }
  };

  const logged = (message: SlackInbound, what: string) => (error: unknown) =>
    logger.warn(`Slack ${what} failed; carrying on`, {
      code: 'slack_web_api_failed',
      correlation_id: message.id,
      error,
    });

  return {
    async progress(inbound: InboundMessage, event: TraceEvent): Promise<void> {
      const message = slackOnly(inbound);
      const line = progressText(event);
      if (!line) return;
      const c = conversationFor(message);
      const decision = pace(c.pacer, line, now().getTime(), deps.channel.progress);
      if (!decision.show) return;
      c.pacer = decision.state;
      c.edits = c.edits.then(() => setStatus(message, c, line, true)).catch(logged(message, 'progress update'));
    },

    async deliver(inbound: InboundMessage, outcome: Outcome): Promise<void> {
      const message = slackOnly(inbound);
      const c = conversationFor(message);
      await c.edits;
      const { channel, threadTs } = message.slack;
      const decision = message.decision;
      const verdict = outcome.action?.verdict;
      if (decision && verdict !== 'performed' && verdict !== 'rejected' && verdict !== 'expired') {
        // A click that changed nothing is told to the clicker alone; the thread stays as it was.
        await client.chat.postEphemeral({ channel, user: decision.by, thread_ts: threadTs, text: toMrkdwn(outcome.answer) });
        conversations.delete(message.id);
        return;
      }
      if (decision?.messageTs && outcome.action) {
        const headline = decidedHeadline(outcome.action, decision);
        await client.chat.update({ channel, ts: decision.messageTs, text: headline, blocks: decidedBlocks(headline, toMrkdwn(outcome.answer.split('\n\n')[0] ?? '')) })
          .catch(logged(message, 'approval message update'));
      }
      if (outcome.status === 'awaiting_approval' && outcome.action && c.posted === 0) {
        const text = toMrkdwn(outcome.answer);
        try {
          await client.chat.postMessage({ channel, thread_ts: threadTs, text, blocks: proposalBlocks(text, outcome.action), unfurl_links: false, unfurl_media: false });
        } catch (error) {
          throw new SlackChannelError('slack_web_api_failed', `Posting the approval request for ${message.id} failed; the queue retries the delivery.`, { cause: error });
        }
        c.posted = 1;
        await setStatus(message, c, 'Waiting for approval — see below.', false).catch(logged(message, 'final status update'));
        conversations.delete(message.id);
        acks.forget(message.dedupeKey);
        return;
      }
      const reply = replyFor(message, outcome);
      const parts = slackMessages(toMrkdwn(reply.text));
      for (; c.posted < parts.length; c.posted++) {
        const part = parts[c.posted];
        if (!part) break;
        try {
          await client.chat.postMessage({ channel, thread_ts: threadTs, text: part.text, blocks: part.blocks, unfurl_links: false, unfurl_media: false });
        } catch (error) {
          throw new SlackChannelError(
            'slack_web_api_failed',
            `Posting part ${c.posted + 1} of ${parts.length} of the answer for ${message.id} failed; the queue retries the delivery.`,
            { cause: error },
          );
        }
      }
      const status = reply.answered ? 'Done — the answer is below.' : 'I could not finish this one — see below.';
      await setStatus(message, c, status, false).catch(logged(message, 'final status update'));
      conversations.delete(message.id);
      acks.forget(message.dedupeKey);
    },
  };
}
