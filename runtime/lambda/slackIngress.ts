/** Lambda entry for `POST /slack/events`: verify, enqueue on SQS, acknowledge (runtime/channels/slack). */
import { createHttpHandler } from './httpIngress.ts';
import { createLambdaRuntime } from './lambdaRuntime.ts';
import { once } from '../once.ts';

const runtime = once(() => createLambdaRuntime(process.env, 'slack-ingress'));
export const handler = createHttpHandler(async () => (await runtime()).app);
