/**
 * The Slack channel: `createSlackIngress` (Events API requests -> durable queue, with Slack's 3-second ack) and
 * `createSlackDelivery` (trace events -> paced progress edits; outcome -> the answer in the thread).
 *
 * How the acknowledgement, the queue and the answer fit together:
 * 1. Ingress verifies the signature (Bolt's `isValidSlackRequest`, 5-minute window), answers `url_verification`,
 *    and lets the Bolt app dispatch `app_mention` and direct messages to one listener.
 * 2. The listener builds the InboundMessage (correlation id new per event, dedupeKey = Slack `event_id`, sessionId
 *    = `slack:<workspace>:<channel>:<thread ts>`, mention stripped) and awaits the durable enqueue; only then does
 *    the request get its 200. Retries (`X-Slack-Retry-Num`) and duplicate event ids get a 200 and nothing else.
 * 3. The "diving in" message is posted after the enqueue in the background (local server) — the 200 does not wait
 *    for the Web API — or before the enqueue with its ts inside the message (Lambda, `postAckInBackground: false`).
 * 4. The Delivery edits that message with progress and posts the answer as new thread messages, then marks the
 *    acknowledgement done. See ingress.ts and delivery.ts for the details and the failure cases.
 */
export { createSlackIngress, type SlackIngress, type SlackIngressDeps } from './ingress.ts';
export { createSlackDelivery, type SlackDeliveryDeps } from './delivery.ts';
export { AckRegistry } from './ackRegistry.ts';
export { toMrkdwn } from './mrkdwn.ts';
export { slackMessages } from './splitMessage.ts';
