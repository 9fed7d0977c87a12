import { describe, expect, it } from 'vitest';
import { metricUnits } from '../../runtime/metrics/metrics.ts';
import { assertVisibilityCoversConsumer } from '../../infra/components/channelQueue.ts';
import { deploymentOrder } from '../../infra/components/agents.ts';
import { dashboardBody } from '../../infra/components/monitoring.ts';
import { logRetentionFor } from '../../infra/components/runtimeFunction.ts';
import { namePrefixFor, parseEngine } from '../../infra/config.ts';
import { DASHBOARD_METRICS } from '../../infra/metricNames.ts';
import { diffManifests } from '../../infra/plan/manifestDiff.ts';
import { configKeyFor, settingsCatalog, settingsFor } from '../../infra/settingsCatalog.ts';
import { fixtureManifest } from './fixtures/manifest.ts';

describe('deploy-time checks', () => {
  it.each([[720, 120, true], [719, 120, false]])('visibility %is with a %is consumer passes: %s', (visibility, timeout, ok) => {
    const check = () => assertVisibilityCoversConsumer('slack', { visibilityTimeoutSeconds: visibility, retentionSeconds: 60, maxReceives: 3 }, timeout);
    if (ok) expect(check).not.toThrow();
    else expect(check).toThrow(/RV_INFRA_VISIBILITY.*at least 720/);
  });

  it('orders collaborators before their supervisor and refuses cycles', () => {
    const agents = fixtureManifest().agents;
    const order = deploymentOrder([...agents].reverse()).map((a) => a.name);
    expect(order.indexOf('manager')).toBe(order.length - 1);
    const cyclic = agents.map((a) => (a.name === 'data' ? { ...a, collaborators: [{ agent: 'manager', instruction: 'x', relayConversationHistory: 'DISABLED' as const }] } : a));
    expect(() => deploymentOrder(cyclic)).toThrow(/RV_INFRA_CYCLE/);
  });

  it.each([[1, 1], [2, 3], [30, 30], [31, 60], [5000, 3653]])('log retention %i days -> %i', (days, accepted) => {
    expect(logRetentionFor(days)).toBe(accepted);
  });

  it('derives physical name prefixes and engines from config', () => {
    expect(namePrefixFor('dev')).toBe('revops-dev');
    expect(namePrefixFor('acme/prod eu')).toBe('revops-acme-prod-eu');
    expect(parseEngine(undefined)).toBe('converse');
    expect(parseEngine('bedrock-agents')).toBe('bedrock-agents');
    expect(() => parseEngine('claude')).toThrow(/revops:engine/);
  });
});

describe('settings catalog', () => {
  it('names config keys after env names and gives each function only what it uses', () => {
    expect(configKeyFor('SLACK_BOT_TOKEN')).toBe('slackBotToken');
    const catalog = settingsCatalog(fixtureManifest());
    expect(catalog.filter((s) => s.secret).map((s) => s.configKey)).toEqual([
      'fireboltClientId', 'fireboltClientSecret', 'gongAccessKey', 'gongAccessKeySecret', 'slackBotToken',
      'slackSigningSecret', 'tavilyApiKey', 'webhookApiKeys', 'webhookSigningSecret']);
    expect(settingsFor(catalog, ['webhook-ingress']).map((s) => s.env)).toEqual(['WEBHOOK_API_KEYS', 'WEBHOOK_SIGNING_SECRET']);
    expect(settingsFor(catalog, ['slack-processor']).map((s) => s.env)).toEqual(['SLACK_BOT_TOKEN', 'SLACK_SIGNING_SECRET']);
  });
});

describe('dashboard', () => {
  it('charts every metric the runtime emits, under its names', () => {
    expect(Object.keys(DASHBOARD_METRICS).sort()).toEqual(Object.keys(metricUnits).sort());
    const body = JSON.parse(dashboardBody('us-east-1', ['q-dlq'], ['p'])) as { widgets: Array<{ properties: { title: string } }> };
    expect(body.widgets.map((w) => w.properties.title)).toEqual([...Object.keys(DASHBOARD_METRICS), 'Dead letters', 'Processor errors']);
  });
});

describe('manifest diff', () => {
  it('moves only the aliases of agents whose definition changed', () => {
    const before = fixtureManifest();
    const after = fixtureManifest();
    after.agents.find((a) => a.name === 'lead_analysis')!.compiledInstruction += ' Be brief.';
    after.tools.find((t) => t.name === 'deal_calls')!.timeoutMs = 10_000;
    after.channels[0]!.logRetentionDays = 90;
    const diff = diffManifests(before, after);
    expect(diff.agents.changed).toEqual(['deal_analysis', 'lead_analysis']);
    expect(diff.aliasesMoving).toEqual(['deal_analysis', 'lead_analysis']);
    expect(diff.tools.changed).toEqual(['deal_calls']);
    expect(diff.channels.changed).toEqual(['slack']);
    expect(diffManifests(before, fixtureManifest()).aliasesMoving).toEqual([]);
  });

  it('moves the aliases of agents on the default model when it changes, and reports removed agents', () => {
    const after = fixtureManifest();
    after.agents = after.agents.filter((a) => a.name !== 'data');
    after.defaults.model = 'anthropic.claude-3-5-haiku-20241022-v1:0';
    const diff = diffManifests(fixtureManifest(), after);
    expect(diff.agents.removed).toEqual(['data']);
    // lead_analysis names its own model, so the default does not touch it.
    expect(diff.agents.changed).toEqual(['deal_analysis', 'manager']);
    // A stack-level model override applies to both sides: the manifests alone then differ only by the removal.
    expect(diffManifests(fixtureManifest(), after, { stackModel: 'anthropic.claude-3-5-haiku-20241022-v1:0' }).agents.changed).toEqual([]);
  });
});
