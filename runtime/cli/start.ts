/**
 * `npm start`: compile the specs (when stale), seed the sample warehouse when it is missing (both via loadProject),
 * and serve; then print the URLs and a curl line to try.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../../compiler/cli/command.ts';
import { parsePort, startServer, untilSignal } from './serve.ts';
import { relative } from 'node:path';
import { withLocalWebhookKey } from './localWebhookKey.ts';

export const command: Command = {
  summary: 'Compile the specs, seed the sample warehouse if missing, and serve (the local quick start).',
  usage: 'revops start [--port 3000]',
  async run(args, io) {
    const { values } = parseArgs({ args, options: { port: { type: 'string' } } });
    const { env, keyFile } = await withLocalWebhookKey(io.env, io.cwd);
    const { config, listening } = await startServer({ ...io, env }, parsePort(values.port));
    const shownKeyFile = keyFile && relative(io.cwd, keyFile);
    const bearer = shownKeyFile ? `$(cat ${shownKeyFile})` : '$(echo "$WEBHOOK_API_KEYS" | cut -d, -f1)';
    const auth = config.webhook.apiKeys[0] ? ` \\\n    -H "Authorization: Bearer ${bearer}"` : '';
    io.stdout([
      `RevOps runtime ready (engine ${config.engine}, data in ${config.dataDir})`,
      `  webhook   POST ${listening.url}/webhook     status GET ${listening.url}/webhook/<tracking_id>`,
      `  slack     POST ${listening.url}/slack/events${config.slack.signingSecret && config.slack.botToken ? '' : '  (503 until SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN are set)'}`,
      `  health    GET  ${listening.url}/healthz     metrics GET ${listening.url}/metrics`,
      '',
      'Try it:',
      `  curl -s -X POST ${listening.url}/webhook -H 'Content-Type: application/json'${auth} \\`,
      `    -d '{"query": "What deals are closing this quarter?", "source_system": "curl"}'`,
      config.webhook.apiKeys.length === 0 && !config.webhook.signingSecret
        ? '  (the webhook channel requires auth: set WEBHOOK_API_KEYS=<a key of 16+ characters> first, or it answers 503)'
        : '',
      shownKeyFile ? `  (a local development key is kept in ${shownKeyFile}; set WEBHOOK_API_KEYS to use your own)` : '',
      `  curl -s ${listening.url}/webhook/<tracking_id>${config.webhook.apiKeys[0] ? ` -H "Authorization: Bearer ${bearer}"` : ''}`,
      'Conversations: npm run revops -- conversations --last 10',
    ].filter((line, i, all) => line !== '' || all[i - 1] !== '').join('\n'));
    return untilSignal(listening, io);
  },
};
