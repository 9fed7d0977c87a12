/**
 * One Slack conversation end to end, in process: signed Events API requests into the real Bolt ingress, the queue
 * contract (in-memory fake), the runtime's processor with the offline engine over the compiled specs and the
 * sample warehouse, and the Slack Delivery — all Web API calls going to the loopback stand-in.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../../../compiler/index.ts';
import { isSlackChannel, type ManifestSlackChannel } from '../../../../compiler/manifest.ts';
import { AckRegistry } from '../../../../runtime/channels/slack/ackRegistry.ts';
import { createSlackDelivery, createSlackIngress } from '../../../../runtime/channels/slack/index.ts';
import { createEngine } from '../../../../runtime/engines/createEngine.ts';
import type { Engine } from '../../../../runtime/engines/engine.ts';
import { silentLogger as runtimeSilentLogger } from '../../../../runtime/logging/logger.ts';
import { noMetrics } from '../../../../runtime/metrics/index.ts';
import { createProcessor, type Processor } from '../../../../runtime/processing/processor.ts';
import { createToolbox } from '../../../../runtime/tools/createToolbox.ts';
import { openDuckDbWarehouse } from '../../../../runtime/warehouse/duckdbWarehouse.ts';
import { sampleNow, seedSampleWarehouse } from '../../../../runtime/warehouse/sample/createSampleWarehouse.ts';
import type { Warehouse } from '../../../../runtime/warehouse/warehouse.ts';
import { MemoryQueue, silentLogger } from './fixtures.ts';
import { BOT_USER_ID, SlackApiStandIn } from '../../../support/slackApiStandIn.ts';
import { BOT_TOKEN, eventEnvelope, SIGNING_SECRET, signedRequest } from './slackRequests.ts';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const api = new SlackApiStandIn();
let dir: string;
let warehouse: Warehouse;
let channel: ManifestSlackChannel;
let processor: Processor;
let ingress: ReturnType<typeof createSlackIngress>;
const queue = new MemoryQueue();
/** Session ids the engine was invoked with, in order. */
const sessions: string[] = [];

beforeAll(async () => {
  await api.start();
  dir = await mkdtemp(join(tmpdir(), 'slack-e2e-'));
  const { manifest, diagnostics } = await compileProject(root);
  if (!manifest) throw new Error(`specs do not compile: ${JSON.stringify(diagnostics.slice(0, 3))}`);
  const found = manifest.channels.find(isSlackChannel);
  if (!found) throw new Error('specs/channels has no slack channel');
  channel = found;
  const now = sampleNow({});
  const seeded = await seedSampleWarehouse({ out: join(dir, 'sample.duckdb'), scale: 300, now });
  warehouse = await openDuckDbWarehouse(seeded.path, { readOnly: true });
  const toolbox = createToolbox(manifest.tools, { warehouse, env: {}, now: () => now });
  const offline = await createEngine('offline', { manifest, toolbox, env: {}, warehouse, now: () => now });
  const engine: Engine = {
    name: offline.name,
    invoke: (request) => {
      sessions.push(request.sessionId);
      return offline.invoke(request);
    },
  };
  const acks = new AckRegistry();
  // The delivery's clock advances 2 s per reading, so every progress line clears the pacing interval.
  let clockMs = now.getTime();
  const ticking = () => new Date((clockMs += 2_000));
  const settings = { channel, botToken: BOT_TOKEN, apiUrl: api.url, logger: silentLogger, acks };
  ingress = createSlackIngress({ ...settings, signingSecret: SIGNING_SECRET, enqueue: queue.send });
  const delivery = createSlackDelivery({ ...settings, now: ticking });
  processor = createProcessor({ engine, deliveries: { slack: delivery }, metrics: noMetrics(), logger: runtimeSilentLogger() });
}, 120_000);

afterAll(async () => {
  await warehouse?.close();
  await api.stop();
  await rm(dir, { recursive: true, force: true });
});

const nowSec = () => Math.floor(Date.now() / 1000);

async function ask(eventId: string, text: string, ts: string, threadTs?: string, user = 'U0USER01') {
  const body = eventEnvelope({ eventId, text: `<@${BOT_USER_ID}> ${text}`, ts, user, ...(threadTs ? { threadTs } : {}) });
  const res = await ingress.handle(signedRequest(body, { timestampSec: nowSec() }));
  expect(res.status).toBe(200);
  await ingress.whenIdle();
  const message = queue.messages.at(-1);
  if (!message) throw new Error('nothing queued');
  await processor.process(message, 1);
  return message;
}

const answersIn = (threadTs: string) =>
  api
    .callsOf('chat.postMessage')
    .filter((c) => c.params.thread_ts === threadTs && c.params.blocks)
    .map((c) => String(c.params.text).replace(/\u200b/g, ''));

describe('a Slack thread end to end with the offline engine', () => {
  const thread = '1755361800.000100';

  it('answers a mention in its thread with paced progress that shows no SQL', async () => {
    await ask('Ev-e2e-1', 'what is the status of the IXIS deal?', thread);
    const [answer] = answersIn(thread);
    expect(answer).toMatch(/Deal Status: IXIS/);
    const [ack] = api.callsOf('chat.postMessage');
    expect(ack?.params).toMatchObject({ thread_ts: thread, text: channel.acknowledgement });
    const updates = api.callsOf('chat.update');
    expect(updates.every((u) => u.params.ts === ack?.reply?.ts)).toBe(true);
    const texts = updates.map((c) => String(c.params.text));
    expect(texts.length).toBeGreaterThanOrEqual(3);
    expect(texts.length).toBeLessThanOrEqual(channel.progress.maxUpdates + 1);
    expect(texts).toContainEqual(expect.stringContaining('Routing to Deal Analysis…'));
    expect(texts).toContainEqual(expect.stringContaining('Running `deal_lookup`…'));
    for (const t of texts) expect(t).not.toMatch(/SELECT|ILIKE|deal_name|IXIS/i);
    expect(texts.at(-1)).toMatch(/Done/);
  });

  it('runs a follow-up written by someone else in the thread in the same session, answered in the thread', async () => {
    const followUp = await ask('Ev-e2e-2', 'and what are its risks?', '1755361860.000200', thread, 'U0OTHER1');
    expect(followUp).toMatchObject({ kind: 'slack', slack: { user: 'U0OTHER1' } });
    expect(sessions).toEqual([`slack:T0001:C0CHAN01:${thread}`, `slack:T0001:C0CHAN01:${thread}`]);
    expect(answersIn(thread)).toHaveLength(2);
  });

  it('answers the follow-up "and what are its risks?" about the IXIS deal', () => {
    const [, second] = answersIn(thread);
    expect(second).toMatch(/IXIS/);
    expect(second).toMatch(/risk/i);
  });
});
