/**
 * Lambda entry for the ingress function of every channel: the routes of the channel REVOPS_CHANNEL names (Slack's
 * `POST /slack/events`, the webhook's `POST /webhook` and `GET /webhook/{tracking_id}`: runtime/channels/) verify,
 * enqueue on SQS and acknowledge.
 */
import { createHttpHandler } from './httpIngress.ts';
import { createLambdaRuntime } from './lambdaRuntime.ts';
import { once } from '../once.ts';

const runtime = once(() => createLambdaRuntime(process.env, 'ingress'));
export const handler = createHttpHandler(async () => (await runtime()).app);
