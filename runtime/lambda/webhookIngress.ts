/** Lambda entry for `POST /webhook` and `GET /webhook/{tracking_id}` (runtime/channels/webhook). */
import { createHttpHandler } from './httpIngress.ts';
import { createLambdaRuntime } from './lambdaRuntime.ts';
import { once } from './secretEnv.ts';

const runtime = once(() => createLambdaRuntime(process.env));
export const handler = createHttpHandler(async () => (await runtime()).app);
