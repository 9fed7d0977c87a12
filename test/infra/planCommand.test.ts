import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSlackChannel } from '../../compiler/manifest.ts';
import type { CommandIO } from '../../compiler/cli/command.ts';
import { command } from '../../infra/cli/plan.ts';
import { ensureManifest } from '../../infra/manifestSource.ts';
import { SLACK_URL_PLACEHOLDER, slackAppManifest } from '../../infra/slackAppManifest.ts';
import { fixtureManifest } from './fixtures/manifest.ts';
import { repoRoot } from './planHelpers.ts';

function capture(): { io: CommandIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, env: {}, cwd: repoRoot } };
}

describe('revops plan', () => {
  it('deploys Converse by default: no Bedrock agents, a session table with TTL the processors may read and write', async () => {
    const { io, out } = capture();
    expect(await command.run(['--json'], io)).toBe(0);
    const entries = JSON.parse(out.join('')) as Array<{ type: string; name: string; inputs: Record<string, unknown> }>;
    expect(entries.filter((e) => e.type.startsWith('aws:bedrock/agentAgent'))).toEqual([]);
    const tables = entries.filter((e) => e.type === 'aws:dynamodb/table:Table');
    expect(tables).toHaveLength(1);
    expect(tables[0]!.inputs).toMatchObject({ hashKey: 'session_key', billingMode: 'PAY_PER_REQUEST', ttl: { attributeName: 'expires_at', enabled: true } });
    const processors = entries.filter((e) => e.type === 'aws:lambda/function:Function' && e.name.endsWith('-processor-function'));
    expect(processors.length).toBeGreaterThan(0);
    for (const p of processors) {
      expect((p.inputs.environment as { variables: Record<string, string> }).variables.REVOPS_SESSION_TABLE).toBe(tables[0]!.inputs.name);
    }
  });

  it('prints every resource as JSON with real Pulumi type tokens and redacted secrets', async () => {
    const { io, out } = capture();
    expect(await command.run(['--json', '--engine', 'bedrock-agents'], io)).toBe(0);
    const entries = JSON.parse(out.join('')) as Array<{ type: string; name: string; inputs: Record<string, unknown>; dependsOn: string[] }>;
    const types = new Set(entries.map((e) => e.type));
    for (const type of ['aws:bedrock/agentAgent:AgentAgent', 'aws:bedrock/agentAgentCollaborator:AgentAgentCollaborator',
      'aws:sqs/queue:Queue', 'aws:lambda/function:Function', 'aws:apigatewayv2/api:Api']) expect(types).toContain(type);
    const versions = entries.filter((e) => e.type === 'aws:secretsmanager/secretVersion:SecretVersion');
    expect(versions.length).toBeGreaterThan(0);
    for (const v of versions) expect(v.inputs.secretString).toBe('[secret]');
    // Roles that read the status prefix may list it (S3 answers 403 for a missing key otherwise); test/infra/resources.test.ts checks each role.
    const policies = entries.filter((e) => e.type === 'aws:iam/rolePolicy:RolePolicy').map((e) => String(e.inputs.policy));
    expect(policies.filter((p) => p.includes('"s3:ListBucket"') && p.includes('"s3:prefix":["webhook-status/*"]')).length).toBeGreaterThan(0);
    const alias = entries.find((e) => e.name.endsWith('-alias') && e.type === 'aws:bedrock/agentAgentAlias:AgentAgentAlias')!;
    expect(alias.dependsOn.length).toBeGreaterThan(0);
  });

  it('shows which agents and aliases a manifest change moves', async () => {
    const current = JSON.parse(await readFile(await ensureManifest(repoRoot), 'utf8')) as ReturnType<typeof fixtureManifest>;
    const old = structuredClone(current);
    const changed = old.agents.find((a) => a.role === 'collaborator')!;
    changed.compiledInstruction += ' (older wording)';
    const dir = await mkdtemp(join(tmpdir(), 'revops-plan-'));
    await writeFile(join(dir, 'old.json'), JSON.stringify(old));
    const { io, out } = capture();
    expect(await command.run(['--json', '--engine', 'bedrock-agents', '--against', join(dir, 'old.json')], io)).toBe(0);
    const { diff } = JSON.parse(out.join('')) as { diff: { agents: { changed: string[] }; aliasesMoving: string[] } };
    expect(diff.agents.changed).toEqual([changed.name]);
    expect(diff.aliasesMoving).toEqual([changed.name]);
  });

  it('rejects an unknown engine as a usage error', async () => {
    await expect(command.run(['--engine', 'gpt'], capture().io)).rejects.toThrow(/revops:engine/);
  });
});

describe('Slack app manifest', () => {
  it('subscribes the bot to mentions and DMs at the given URL, with the scopes the runtime uses', () => {
    const slack = fixtureManifest().channels.find(isSlackChannel)!;
    const manifest = slackAppManifest(slack, 'https://x.execute-api.us-east-1.amazonaws.com/slack/events');
    expect(manifest.display_information.name).toBe('RevBot');
    expect(manifest.features.bot_user.display_name).toBe('RevBot');
    expect(manifest.settings.event_subscriptions).toEqual({
      request_url: 'https://x.execute-api.us-east-1.amazonaws.com/slack/events', bot_events: ['app_mention', 'message.im'],
    });
    for (const scope of ['app_mentions:read', 'chat:write', 'im:history', 'im:read']) expect(manifest.oauth_config.scopes.bot).toContain(scope);
    expect(slackAppManifest(slack, SLACK_URL_PLACEHOLDER).settings.event_subscriptions.request_url).toContain('REPLACE');
  });
});
