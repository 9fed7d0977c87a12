import { describe, expect, it } from 'vitest';
import type { PlanOptions } from '../../infra/plan/planDeployment.ts';
import { ESBUILD_NODE_TARGET, LAMBDA_NODE_RUNTIME, NODE_RUNTIME_DEPRECATION, isDeprecatedRuntime } from '../../infra/lambdaRuntime.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { Plan, T, input, shippedManifest, withKnowledge } from './planHelpers.ts';

const plans: Array<[string, PlanOptions]> = [['default config', {}], ['bedrock-agents', { engine: 'bedrock-agents' }],
  ['a named knowledge base', { engine: 'bedrock-agents', knowledgeBaseId: 'KBTEST1234' }]];

describe('Lambda runtime', () => {
  it.each(plans)('no function in the plan for %s runs a runtime AWS has deprecated', async (_label, options) => {
    for (const manifest of [await shippedManifest(), withKnowledge(fixtureManifest())]) {
      const functions = (await Plan.of(manifest, options)).all(T.fn);
      expect(functions.length).toBeGreaterThan(0);
      for (const fn of functions) {
        const runtime = input(fn, 'runtime');
        expect(isDeprecatedRuntime(runtime, new Date()), `${fn.name} runs ${runtime}`).toBe(false);
        expect(Number(runtime.match(/^nodejs(\d+)\.x$/)?.[1])).toBeGreaterThanOrEqual(22);
      }
    }
  });

  it('bundles for the Node version the functions run on', () => {
    expect(LAMBDA_NODE_RUNTIME).toBe('nodejs22.x');
    expect(ESBUILD_NODE_TARGET).toBe('node22');
  });

  it('counts a runtime as deprecated from its date on, and an unknown one always', () => {
    expect(NODE_RUNTIME_DEPRECATION['nodejs20.x']).toBe('2026-04-30');
    expect(isDeprecatedRuntime('nodejs20.x', new Date('2026-04-29T23:59:59Z'))).toBe(false);
    expect(isDeprecatedRuntime('nodejs20.x', new Date('2026-04-30T00:00:00Z'))).toBe(true);
    expect(isDeprecatedRuntime('nodejs22.x', new Date('2027-05-01T00:00:00Z'))).toBe(true);
    expect(isDeprecatedRuntime('nodejs99.x', new Date('2026-01-01T00:00:00Z'))).toBe(true);
  });
});
