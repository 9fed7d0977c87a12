/**
 * The Slack Web API stand-in in a worker thread, so a bench's server does not share its event loop with "Slack".
 * Messages: `{ cmd: 'record', on }` toggles recording of parameters (off while saturating: counting is enough),
 * `{ cmd: 'summary' }` answers `{ counts, answersByThread }` (answers = chat.postMessage calls with blocks).
 */
import { parentPort } from 'node:worker_threads';
import { SlackApiStandIn } from './slackApiStandIn.ts';

const api = await new SlackApiStandIn().start();
api.recordParams = false;
parentPort?.on('message', (m: { cmd: string; on?: boolean }) => {
  if (m.cmd === 'record') {
    api.recordParams = m.on === true;
    parentPort?.postMessage({ ok: true });
  } else if (m.cmd === 'summary') {
    const answersByThread: Record<string, number> = {};
    for (const c of api.callsOf('chat.postMessage')) {
      if (!c.params.blocks) continue;
      const thread = String(c.params.thread_ts);
      answersByThread[thread] = (answersByThread[thread] ?? 0) + 1;
    }
    parentPort?.postMessage({ counts: Object.fromEntries(api.counts), answersByThread });
  }
});
parentPort?.postMessage({ url: api.url });
