/**
 * infra/channelKinds.ts repeats what the runtime's channel table serves (infra imports no runtime code): the same
 * kinds, and API routes the runtime answers, so a deploy never routes a path to an ingress that has no such route.
 */
import { describe, expect, it } from 'vitest';
import { CHANNEL_INFRA } from '../../infra/channelKinds.ts';
import { channelKinds } from '../../runtime/channels/channels.ts';
import { testRuntime } from '../support/runtime.ts';
import { fixtureManifest } from './fixtures/manifest.ts';

describe('the infra channel table', () => {
  it('lists the kinds the runtime table lists', () => {
    expect(Object.keys(CHANNEL_INFRA).sort()).toEqual(Object.keys(channelKinds).sort());
  });

  it('routes every path and method the runtime serves for a channel kind to its ingress on AWS', async () => {
    const rt = await testRuntime({ manifest: fixtureManifest(), env: { SLACK_SIGNING_SECRET: 'x', SLACK_BOT_TOKEN: 'xoxb-x' } });
    try {
      const deployed = new Set(Object.values(CHANNEL_INFRA).flatMap((infra) => infra.routes.map((r) => r.routeKey)));
      const served = rt.app.routes.filter((r) => r.method !== 'ALL' && /^\/(webhook|slack)\b/u.test(r.path))
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/gu, '{$1}')}`);
      expect(served.length).toBeGreaterThan(4);
      for (const route of served) expect(deployed, route).toContain(route);
    } finally {
      await rt.dispose();
    }
  });

  it.each(Object.entries(CHANNEL_INFRA).flatMap(([kind, infra]) => infra.routes.map((r) => [kind, r.routeKey] as const)))(
    '%s: the runtime answers %s',
    async (_kind, routeKey) => {
      const [method, path] = routeKey.split(' ') as [string, string];
      const rt = await testRuntime({ manifest: fixtureManifest(), env: { SLACK_SIGNING_SECRET: 'x', SLACK_BOT_TOKEN: 'xoxb-x' } });
      try {
        const res = await rt.app.request(path.replace(/\{[^}]+\}/g, 'id-1'), { method, ...(method === 'POST' ? { body: '{}' } : {}) });
        const body = await res.text();
        expect(body).not.toContain('"not_found"');
        expect(body).not.toContain('not_configured');
      } finally {
        await rt.dispose();
      }
    },
  );
});
