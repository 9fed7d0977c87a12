/**
 * Issue 15 / issue 11 point 6: a Slack thread's follow-up works after the server restarts. The real server
 * (`revops serve`, offline engine, the data directory in a temp folder) gets a signed app_mention about the IXIS
 * deal, answers it through the Slack stand-in, is stopped and started again over the same data directory, and
 * then answers "and what are its risks?" in the same thread about IXIS: the turn came back from the conversation
 * store, not from the first process's memory.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnServe } from '../../../support/serveProcess.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_USER_ID, SlackApiStandIn } from '../../../support/slackApiStandIn.ts';
import { BOT_TOKEN, eventEnvelope, SIGNING_SECRET, signedRequest } from './slackRequests.ts';

const api = new SlackApiStandIn();
let dataDir: string;
let child: ChildProcess | undefined;

beforeAll(async () => {
  await api.start();
  dataDir = await mkdtemp(join(tmpdir(), 'revops-thread-restart-'));
});
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await api.stop();
  await rm(dataDir, { recursive: true, force: true });
});

async function startServer(): Promise<string> {
  const served = await spawnServe({
    REVOPS_DATA_DIR: dataDir, REVOPS_ENGINE: 'offline', REVOPS_LOG_LEVEL: 'error',
    REVOPS_NOW: '2025-11-14T09:00:00Z', SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_URL: api.url,
  }, (proc) => { child = proc; });
  return served.url;
}

async function stopServer(): Promise<void> {
  const proc = child!;
  const exited = new Promise((done) => proc.once('exit', done));
  proc.kill('SIGTERM');
  await exited;
}

const THREAD = '1700000000.000100';
const texts = (from: number): string[] =>
  api.calls.slice(from).filter((c) => c.method === 'chat.postMessage' || c.method === 'chat.update').map((c) => String(c.params.text ?? ''));

/** Sends one signed mention in the thread and returns the texts the bot posted until one mentions `until`. */
async function mention(url: string, n: number, text: string, until: RegExp): Promise<string[]> {
  const from = api.calls.length;
  const body = eventEnvelope({ eventId: `Ev-restart-${n}`, text: `<@${BOT_USER_ID}> ${text}`, ts: `1700000000.00010${n}`, threadTs: THREAD });
  const res = await fetch(signedRequest(body, { timestampSec: Math.floor(Date.now() / 1000), url: `${url}/slack/events` }));
  expect(res.status).toBe(200);
  for (let i = 0; i < 600 && !texts(from).some((t) => until.test(t)); i++) await new Promise((r) => setTimeout(r, 100));
  return texts(from);
}

describe('a Slack thread across a server restart', () => {
  it('answers the follow-up about the deal the thread asked about before the restart', { timeout: 240_000 }, async () => {
    const first = await startServer();
    expect((await mention(first, 1, 'what is the status of the IXIS deal?', /IXIS-Snowflake/)).join('\n')).toContain('IXIS-Snowflake');
    await stopServer();
    const second = await startServer();
    // Without the stored turn the answer asks which deal is meant (and offers the IXIS question as an example).
    const replies = await mention(second, 2, 'and what are its risks?', /IXIS-Snowflake|couldn't tell/);
    expect(replies.join('\n')).toContain('IXIS-Snowflake');
    await stopServer();
  });
});
