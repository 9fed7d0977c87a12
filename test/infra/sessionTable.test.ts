import { beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../compiler/manifest.ts';
import { SESSION_ACTIONS, type PolicyDocument } from '../../infra/policies/documents.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { Plan, T, input } from './planHelpers.ts';

const TABLE = 'aws:dynamodb/table:Table';
const env = (plan: Plan, name: string) => input<{ variables: Record<string, string> }>(plan.get(T.fn, name), 'environment').variables;
const policyOf = (plan: Plan, name: string) => JSON.parse(input(plan.get(T.rolePolicy, name), 'policy')) as PolicyDocument;

describe('the session table (default engine: converse)', () => {
  let manifest: Manifest;
  let plan: Plan;
  beforeAll(async () => {
    manifest = fixtureManifest();
    // The entry supervisor keeps sessions longer than the manifest default: a channel gets its entry's TTL.
    manifest.agents = manifest.agents.map((a) => (a.name === 'manager' ? { ...a, idleSessionTtlSeconds: 1800 } : a));
    plan = await Plan.of(manifest);
  });

  it('is one on-demand table keyed by session_key, with TTL on expires_at', () => {
    const [table, ...others] = plan.all(TABLE);
    expect(others).toEqual([]);
    expect(table!.inputs).toMatchObject({
      name: 'revops-plan-sessions', billingMode: 'PAY_PER_REQUEST', hashKey: 'session_key',
      attributes: [{ name: 'session_key', type: 'S' }], ttl: { attributeName: 'expires_at', enabled: true },
    });
  });

  it("hands each processor the table's name and its channel's session TTL", () => {
    for (const channel of manifest.channels) {
      const variables = env(plan, `channel-${channel.name}-processor-function`);
      expect(variables.REVOPS_SESSION_TABLE).toBe('revops-plan-sessions');
      expect(variables.REVOPS_SESSION_TTL_SECONDS).toBe(String(manifest.agents.find((a) => a.name === channel.entry)!.idleSessionTtlSeconds));
    }
    expect(env(plan, 'channel-slack-processor-function').REVOPS_SESSION_TTL_SECONDS).toBe('1800');
  });

  it('lets processors, and only processors, get and conditionally write items of exactly that table', () => {
    const tableArn = 'arn:aws:dynamodb:us-east-1:123456789012:table/revops-plan-sessions';
    for (const policy of plan.all(T.rolePolicy)) {
      const statements = (JSON.parse(input(policy, 'policy')) as PolicyDocument).Statement.filter((s) => s.Action.some((a) => a.startsWith('dynamodb:')));
      if (!policy.name.endsWith('-processor-policy')) {
        expect(statements, policy.name).toEqual([]);
        continue;
      }
      expect(statements).toEqual([{ Sid: 'ReadWriteSessions', Effect: 'Allow', Action: SESSION_ACTIONS, Resource: [tableArn] }]);
    }
    expect(SESSION_ACTIONS).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem']);
    expect(policyOf(plan, 'channel-webhook-processor-policy').Statement.map((s) => s.Sid)).toContain('ReadWriteSessions');
  });

  it('is not created for Bedrock Agents, which keeps its own sessions', async () => {
    const agents = await Plan.of(manifest, { engine: 'bedrock-agents' });
    expect(agents.all(TABLE)).toEqual([]);
    for (const fn of agents.all(T.fn)) expect(input<{ variables: Record<string, string> }>(fn, 'environment').variables.REVOPS_SESSION_TABLE).toBeUndefined();
  });
});
