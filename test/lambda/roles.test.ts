/**
 * RuntimeParts.role and REVOPS_CHANNEL, which the Lambda adapters set: a process builds the parts of the role it
 * plays (the ingress no engine and no processor; the processor no routes) for the channels it serves, and builds
 * them at creation, so their failures surface there. A manifest whose skill template does not parse makes the
 * offline engine fail at creation, which shows where the engine is built.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../compiler/manifest.ts';
import { loadConfig } from '../../runtime/config.ts';
import { createLogger } from '../../runtime/logging/logger.ts';
import type { Toolbox } from '../../runtime/tools/toolbox.ts';
import { createRuntime, type Runtime, type RuntimeParts } from '../../runtime/wiring.ts';
import { fixtureManifest } from '../infra/fixtures/manifest.ts';
import { SlackApiStandIn } from '../runtime/slack/slackApiStandIn.ts';

const API_KEY = 'served-side-key-0123456789';
const toolbox: Toolbox = { tools: [], run: async () => { throw new Error('no tools here'); }, perform: async () => { throw new Error('no tools here'); } };

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
const runtimes: Runtime[] = [];

async function runtime(role: RuntimeParts['role'], options: { manifest?: Manifest; channel?: string } = {}): Promise<Runtime> {
  const dataDir = await mkdtemp(join(tmpdir(), 'revops-roles-'));
  const config = loadConfig({
    REVOPS_ENGINE: 'offline', REVOPS_DATA_DIR: dataDir, WEBHOOK_API_KEYS: API_KEY,
    SLACK_SIGNING_SECRET: 'roles-signing-secret', SLACK_BOT_TOKEN: 'xoxb-roles', SLACK_API_URL: slack.url,
    ...(options.channel ? { REVOPS_CHANNEL: options.channel } : {}),
  }, dataDir);
  const created = await createRuntime(config, {
    project: { manifest: options.manifest ?? brokenTemplateManifest(), toolbox }, logger: createLogger({ level: 'error', sink: () => undefined }),
    ...(role ? { role } : {}),
  });
  runtimes.push(created);
  return created;
}

const slackMessage = (id: string) => ({
  kind: 'slack' as const, id, dedupeKey: id, channel: 'slack', agent: 'manager', text: 'status of the IXIS deal',
  sessionId: 'C0SERVED:1755361805.000100', receivedAt: new Date().toISOString(),
  slack: { channel: 'C0SERVED', threadTs: '1755361805.000100', user: 'U0ASKER' },
});

const webhookPost = (): RequestInit => ({
  method: 'POST', body: JSON.stringify({ query: 'status of the IXIS deal', source_system: 'crm' }),
  headers: { 'content-type': 'application/json', authorization: `Bearer ${API_KEY}` },
});

beforeAll(async () => {
  slack = await new SlackApiStandIn().start();
});

afterAll(async () => {
  await Promise.all(runtimes.map((r) => r.close()));
  await slack.stop();
});

describe('RuntimeParts.role', () => {
  it('by default builds the engine at creation, so a broken template stops the runtime there', async () => {
    await expect(runtime(undefined)).rejects.toThrow(/template does not parse/);
  });

  it("'processor' builds the engine at creation too: the processor's cold start fails, not its first answer", async () => {
    await expect(runtime('processor')).rejects.toThrow(/template does not parse/);
  });

  it("'ingress' builds no engine and no processor: it accepts and queues, and /healthz names the configured engine", async () => {
    const served = await runtime('ingress');
    expect(served.processor).toBeUndefined();
    const accepted = await served.app.request('/webhook', webhookPost());
    expect(accepted.status).toBe(200);
    expect((await served.queues.webhook!.stats()).visible).toBe(1);
    const health = await served.app.request('/healthz');
    expect((await health.json() as { engine: string }).engine).toBe('offline');
  });

  it("'processor' serves no channel routes", async () => {
    const served = await runtime('processor', { manifest: fixtureManifest() });
    expect((await served.app.request('/webhook', webhookPost())).status).toBe(404);
    expect((await (await served.app.request('/webhook', webhookPost())).json())).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('REVOPS_CHANNEL', () => {
  it('an ingress for the webhook channel builds only its queue and answers Slack that it is not configured here', async () => {
    const served = await runtime('ingress', { channel: 'webhook' });
    expect(Object.keys(served.queues)).toEqual(['webhook']);
    expect((await served.app.request('/webhook', webhookPost())).status).toBe(200);
    const res = await served.app.request('/slack/events', { method: 'POST', body: '{}' });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: 'slack_not_configured' });
  });

  it('a processor for the webhook channel has no Slack delivery: a Slack message fails, retried, and Slack hears nothing', async () => {
    const served = await runtime('processor', { manifest: fixtureManifest(), channel: 'webhook' });
    const before = slack.calls.length;
    await expect(served.processor!.process(slackMessage('roles-1'), 1)).rejects.toMatchObject({ code: 'channel_not_configured' });
    expect(slack.calls.length).toBe(before);
  });

  it('a processor for the Slack channel answers in the thread', async () => {
    const served = await runtime('processor', { manifest: fixtureManifest(), channel: 'slack' });
    await served.processor!.process(slackMessage('roles-2'), 1);
    const posts = slack.calls.filter((c) => c.method === 'chat.postMessage' && c.params.thread_ts === '1755361805.000100');
    expect(posts.length).toBeGreaterThan(0);
  });

  it('names a channel the manifest does not have', async () => {
    await expect(runtime('ingress', { channel: 'teams' })).rejects.toThrow(/REVOPS_CHANNEL: the manifest has no channel 'teams' \(it has slack, webhook\)/);
  });
});
