/** Lambda entry for `POST /webhook` and `GET /webhook/{tracking_id}` (runtime/channels/webhook). */
import { createHttpHandler } from './httpIngress.ts';
import { createLambdaRuntime } from './lambdaRuntime.ts';
import { once } from '../once.ts';

const runtime = once(() => createLambdaRuntime(process.env, 'webhook-ingress'));
export const handler = createHttpHandler(async () => (await runtime()).app);
