/**
 * RuntimeParts.serves, which the Lambda adapters set: the side a function serves is built at creation (its failures
 * surface there, as before), the other side on first use — and still works when used. A manifest whose skill
 * template does not parse makes the offline engine fail at creation, which shows when the engine is built.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../compiler/manifest.ts';
import { loadConfig } from '../../runtime/config.ts';
import { createLogger } from '../../runtime/logging/logger.ts';
import type { Toolbox } from '../../runtime/tools/toolbox.ts';
import { createRuntime, type Runtime, type RuntimeParts } from '../../runtime/wiring.ts';
import { queueOnFirstUse } from '../../runtime/firstUse.ts';
import { once } from '../../runtime/once.ts';
import type { MessageQueue } from '../../runtime/queue/queue.ts';
import { fixtureManifest } from '../infra/fixtures/manifest.ts';
import { SlackApiStandIn } from '../runtime/slack/slackApiStandIn.ts';

const SIGNING_SECRET = 'served-side-signing-secret';
const toolbox: Toolbox = { tools: [], run: async () => { throw new Error('no tools here'); } };

/** The fixture manifest with a supervisor skill whose answer template does not parse. */
function brokenTemplateManifest(): Manifest {
  const manifest = fixtureManifest();
  return {
    ...manifest,
    agents: manifest.agents.map((a) => (a.name === 'manager'
      ? { ...a, skills: [{ name: 'status', examples: ['status of a deal'], steps: [], answer: '{{ deal.name ' }] }
      : a)),
  };
}

let slack: SlackApiStandIn;
const logs: string[] = [];
const runtimes: Runtime[] = [];

async function runtime(serves: RuntimeParts['serves'], manifest: Manifest = brokenTemplateManifest()): Promise<Runtime> {
  const dataDir = await mkdtemp(join(tmpdir(), 'revops-served-'));
  const config = loadConfig({
    REVOPS_ENGINE: 'offline', REVOPS_DATA_DIR: dataDir, WEBHOOK_API_KEYS: 'served-side-key-0123456789',
    SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-served', SLACK_API_URL: slack.url,
  }, dataDir);
  const created = await createRuntime(config, {
    project: { manifest, toolbox }, logger: createLogger({ level: 'debug', sink: (line) => logs.push(line) }),
    ...(serves ? { serves } : {}),
  });
  runtimes.push(created);
  return created;
}

function signedSlackRequest(payload: Record<string, unknown>): Request {
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
  return new Request('http://localhost/slack/events', {
    method: 'POST', body,
    headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
  });
}

const slackMessage = (id: string) => ({
  kind: 'slack' as const, id, dedupeKey: id, channel: 'slack', agent: 'manager', text: 'status of the IXIS deal',
  sessionId: 'C0SERVED:1755361805.000100', receivedAt: new Date().toISOString(),
  slack: { channel: 'C0SERVED', threadTs: '1755361805.000100', user: 'U0ASKER' },
});

beforeAll(async () => {
  slack = await new SlackApiStandIn().start();
});

afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
  await slack.stop();
});

describe('RuntimeParts.serves', () => {
  it('by default builds the engine at creation, so a broken template stops the runtime there', async () => {
    await expect(runtime(undefined)).rejects.toThrow(/template does not parse/);
  });

  it("'queue' builds the engine at creation too: the processor's cold start fails, not its first answer", async () => {
    await expect(runtime('queue')).rejects.toThrow(/template does not parse/);
  });

  it("'http' builds the engine on first use: the app serves, and processing reports the engine's failure", async () => {
    const served = await runtime('http');
    const health = await served.app.request('/healthz');
    expect(health.status).toBe(200);
    expect((await health.json() as { engine: string }).engine).toBe('offline');
    await served.processor.process(slackMessage('served-http-1'), 1);
    expect(logs.some((l) => l.includes('engine failed') && l.includes('template does not parse'))).toBe(true);
    // The Slack delivery, also built on first use here, posted the failure in the thread.
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.params.thread_ts === '1755361805.000100');
    expect(posts.length).toBeGreaterThan(0);
  });

  it("'queue' builds the Slack ingress on first use, and it answers Slack's URL verification", async () => {
    const served = await runtime('queue', fixtureManifest());
    const response = await served.app.request(signedSlackRequest({ type: 'url_verification', challenge: 'served-challenge', token: 't' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('served-challenge');
  });

  it('a queue built on first use is built once, and not built just to be closed', async () => {
    let builds = 0;
    const sent: string[] = [];
    const real = { send: async (m: { id: string }) => { sent.push(m.id); return { messageId: m.id, duplicate: false, duplicateKnown: true }; },
      close: async () => undefined } as unknown as MessageQueue;
    const unused = queueOnFirstUse(once(async () => { builds += 1; return real; }));
    await unused.close();
    expect(builds).toBe(0);
    const used = queueOnFirstUse(once(async () => { builds += 1; return real; }));
    await used.send(slackMessage('q-1'));
    await used.send(slackMessage('q-2'));
    await used.close();
    expect(builds).toBe(1);
    expect(sent).toEqual(['q-1', 'q-2']);
  });
});
