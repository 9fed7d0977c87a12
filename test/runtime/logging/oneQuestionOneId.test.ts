/**
 * Issue 12: one question is followed through every layer with one filter. A signed Slack mention goes through a
 * whole runtime (Slack configured, the logger the runtime builds from REVOPS_LOG_LEVEL, nothing injected): the Slack
 * ingress's line and the processor's lines for that question carry the same `correlation_id`, and REVOPS_LOG_LEVEL
 * decides what the Slack channel, Bolt and the processor keep.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../runtime/config.ts';
import type { LogLevel } from '../../../runtime/config.ts';
import type { Toolbox } from '../../../runtime/tools/toolbox.ts';
import { createRuntime } from '../../../runtime/wiring.ts';
import { scriptedEngine } from '../helpers/engines.ts';
import { type LoggedLine } from '../slack/fixtures.ts';
import { slackChannel, testManifest } from '../helpers/manifest.ts';
import { BOT_USER_ID, SlackApiStandIn } from '../slack/slackApiStandIn.ts';
import { BOT_TOKEN, eventEnvelope, SIGNING_SECRET, signedRequest } from '../slack/slackRequests.ts';

const api = new SlackApiStandIn();
const toolbox: Toolbox = { tools: [], run: async () => { throw new Error('not used'); }, perform: async () => { throw new Error('not used'); } };

beforeAll(async () => {
  await api.start();
});
afterAll(async () => {
  await api.stop();
});

/** Asks one question over Slack and returns every JSON line the runtime wrote to stdout meanwhile. */
async function linesOfOneQuestion(level: LogLevel, eventId: string): Promise<LoggedLine[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'revops-one-id-'));
  const written: string[] = [];
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  try {
    const config = loadConfig({
      REVOPS_DATA_DIR: dataDir, REVOPS_LOG_LEVEL: level,
      SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: api.url,
    }, dataDir);
    const runtime = await createRuntime(config, { project: { manifest: { ...testManifest(), channels: [slackChannel()] }, toolbox }, engine: scriptedEngine() });
    const body = eventEnvelope({ eventId, text: `<@${BOT_USER_ID}> what is the status of the IXIS deal?`, ts: '1700000000.000300' });
    const response = await runtime.app.fetch(signedRequest(body, { timestampSec: Math.floor(Date.now() / 1000) }));
    expect(response.status).toBe(200);
    const [received] = await runtime.queues.slack!.receive({ max: 1, waitMs: 1000 });
    await runtime.processor.process(received!.message, received!.receiveCount);
    await runtime.close();
  } finally {
    stdout.mockRestore();
    await rm(dataDir, { recursive: true, force: true });
  }
  return written.join('').split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LoggedLine);
}

describe('one question, one correlation_id, one log level', () => {
  it('gives the Slack ingress line and the processor lines of a question the same correlation_id field', async () => {
    const lines = await linesOfOneQuestion('info', 'Ev-one-id-1');
    const queued = lines.find((l) => l.message === 'Slack question queued');
    expect(queued).toMatchObject({ level: 'info', event_id: 'Ev-one-id-1' });
    const id = queued!.correlation_id;
    expect(typeof id).toBe('string');
    const processed = lines.filter((l) => l.message === 'processing started' || l.message === 'processing finished');
    expect(processed).toHaveLength(2);
    expect(processed.every((l) => l.correlation_id === id)).toBe(true);
    expect(lines.some((l) => 'correlationId' in l)).toBe(false);
  });

  it('keeps debug lines, Bolt\'s among them, only at REVOPS_LOG_LEVEL=debug, and drops info from both layers at warn', async () => {
    const debug = await linesOfOneQuestion('debug', 'Ev-one-id-2');
    expect(debug.some((l) => l.level === 'debug' && l.source === 'bolt')).toBe(true);
    expect(debug.some((l) => l.message === 'Slack question queued')).toBe(true);

    const info = await linesOfOneQuestion('info', 'Ev-one-id-3');
    expect(info.filter((l) => l.level === 'debug')).toEqual([]);

    const warn = await linesOfOneQuestion('warn', 'Ev-one-id-4');
    expect(warn.filter((l) => l.level === 'info' || l.level === 'debug')).toEqual([]);
  });
});
