/** Every limit: the largest accepted value passes, the first rejected one gives its code (issue 2, DESIGN.md). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileVariant, errorCodes, VALID } from './helpers.ts';

type Edit = Record<string, Array<[string | RegExp, string]>>;
const x = (n: number) => 'x'.repeat(n);
const collaboratorSpec = (name: string) =>
  `name: ${name}\nrole: collaborator\ndescription: Helper ${name}\ninstruction: You help with questions about ${name} carefully.\n`;
const withCollaborators = (count: number): [Edit, Record<string, string>] => {
  const names = Array.from({ length: count - 2 }, (_, i) => `helper${i}`);
  const list = names.map((n) => `  - { agent: ${n}, instruction: Questions about ${n}. }\n`).join('');
  return [{ 'specs/agents/manager.yaml': [[/$/, list]] },
    Object.fromEntries(names.map((n) => [`specs/agents/${n}.yaml`, collaboratorSpec(n)]))];
};

const dealCallsBytes = readFileSync(join(VALID, 'specs/tools/deal_calls.yaml')).length;
/** deal_calls.yaml padded with a comment to `bytes` in all. */
const padded = (bytes: number): Edit => ({ 'specs/tools/deal_calls.yaml': [[/$/, `#${x(bytes - dealCallsBytes - 2)}\n`]] });
/** `count` aliases of a one-node anchor, in a field of their own. */
const aliases = (count: number): Edit => ({
  'specs/tools/deal_calls.yaml': [['description: Recent', 'description: &d Recent'], [/$/, `x: [${Array(count).fill('*d').join(', ')}]\n`]],
});

/** A value `levels` collections deep (the spec itself is level one), in a field of its own. */
const nested = (levels: number, open: string, close: string): Edit => ({
  'specs/tools/deal_calls.yaml': [[/$/, `x: ${open.repeat(levels - 1)}1${close.repeat(levels - 1)}\n`]],
});
const indented = (levels: number): Edit => ({
  'specs/tools/deal_calls.yaml': [[/$/, Array.from({ length: levels }, (_, i) => `${' '.repeat(i)}x${i}:`).join('\n') + ' 1\n']],
});

const rows: Array<{ limit: string; code: string; accepted: Edit; rejected: Edit }> = [
  { limit: 'name length 100', code: 'RV4001', accepted: { 'specs/tools/deal_calls.yaml': [['group: calls', `group: ${'a'.repeat(100)}`]] },
    rejected: { 'specs/tools/deal_calls.yaml': [['group: calls', `group: ${'a'.repeat(101)}`]] } },
  { limit: 'name pattern', code: 'RV4001', accepted: { 'specs/tools/deal_calls.yaml': [['group: calls', 'group: a_b-c9']] },
    rejected: { 'specs/tools/deal_calls.yaml': [['group: calls', 'group: a__b']] } },
  { limit: 'agent description 200', code: 'RV4002',
    accepted: { 'specs/agents/data.yaml': [[/description: .*/, `description: ${x(200)}`]] },
    rejected: { 'specs/agents/data.yaml': [[/description: .*/, `description: ${x(201)}`]] } },
  { limit: 'function description 1200', code: 'RV4002',
    accepted: { 'specs/tools/deal_calls.yaml': [[/description: Recent.*/, `description: ${x(1200)}`]] },
    rejected: { 'specs/tools/deal_calls.yaml': [[/description: Recent.*/, `description: ${x(1201)}`]] } },
  { limit: 'parameter description 500', code: 'RV4002',
    accepted: { 'specs/tools/deal_calls.yaml': [['description: Account name', `description: ${x(500)}`]] },
    rejected: { 'specs/tools/deal_calls.yaml': [['description: Account name', `description: ${x(501)}`]] } },
  { limit: 'collaboration instruction 4000', code: 'RV4002',
    accepted: { 'specs/agents/manager.yaml': [[/instruction: ONLY.*/, `instruction: ${x(4000)}`]] },
    rejected: { 'specs/agents/manager.yaml': [[/instruction: ONLY.*/, `instruction: ${x(4001)}`]] } },
  { limit: 'idle session TTL 60', code: 'RV4003', accepted: { 'specs/agents/data.yaml': [[/$/, 'idle_session_ttl: 60\n']] },
    rejected: { 'specs/agents/data.yaml': [[/$/, 'idle_session_ttl: 59\n']] } },
  { limit: 'idle session TTL 3600', code: 'RV4003', accepted: { 'specs/agents/data.yaml': [[/$/, 'idle_session_ttl: 3600\n']] },
    rejected: { 'specs/agents/data.yaml': [[/$/, 'idle_session_ttl: 3601\n']] } },
  { limit: 'compiled instruction 40', code: 'RV4004',
    accepted: { 'specs/agents/data.yaml': [[/instruction: .*/, `instruction: ${x(40)}`]] },
    rejected: { 'specs/agents/data.yaml': [[/instruction: .*/, `instruction: ${x(39)}`]] } },
  { limit: 'compiled instruction 20000', code: 'RV4004',
    accepted: { 'specs/agents/data.yaml': [[/instruction: .*/, `instruction: ${x(20_000)}`]] },
    rejected: { 'specs/agents/data.yaml': [[/instruction: .*/, `instruction: ${x(20_001)}`]] } },
  { limit: 'queue visibility 6 x processor timeout', code: 'RV4005',
    accepted: { 'specs/channels/slack.yaml': [['visibility_timeout_s: 1800', 'visibility_timeout_s: 1800']] },
    rejected: { 'specs/channels/slack.yaml': [['visibility_timeout_s: 1800', 'visibility_timeout_s: 1799']] } },
  { limit: 'webhook status retention 1 day', code: 'RV4003',
    accepted: { 'specs/channels/webhook.yaml': [[/$/, 'status_retention_days: 1\n']] },
    rejected: { 'specs/channels/webhook.yaml': [[/$/, 'status_retention_days: 0\n']] } },
  { limit: 'webhook status retention 365 days', code: 'RV4003',
    accepted: { 'specs/channels/webhook.yaml': [[/$/, 'status_retention_days: 365\n']] },
    rejected: { 'specs/channels/webhook.yaml': [[/$/, 'status_retention_days: 366\n']] } },
  { limit: 'spec file 1 MiB', code: 'RV1008', accepted: padded(1024 * 1024), rejected: padded(1024 * 1024 + 1) },
  { limit: 'alias repeats 1000 nodes', code: 'RV1009', accepted: aliases(1000), rejected: aliases(1001) },
  { limit: 'flow nesting 100', code: 'RV1013', accepted: nested(100, '[', ']'), rejected: nested(101, '[', ']') },
  { limit: 'flow nesting far past the stack', code: 'RV1013', accepted: nested(100, '{a: ', '}'), rejected: nested(100_000, '{a: ', '}') },
  { limit: 'block nesting 100', code: 'RV1013', accepted: indented(100), rejected: indented(101) },
];

describe('limits: largest accepted, first rejected', () => {
  it.each(rows)('$limit', async ({ code, accepted, rejected }) => {
    expect(errorCodes(await compileVariant(accepted))).not.toContain(code);
    expect(errorCodes(await compileVariant(rejected))).toContain(code);
  });

  it('allows 10 collaborators and rejects 11', async () => {
    expect(errorCodes(await compileVariant(...withCollaborators(10)))).toEqual([]);
    expect(errorCodes(await compileVariant(...withCollaborators(11)))).toEqual(['RV3023']);
  });

  it.each(['string', 'number', 'integer', 'boolean', 'array'])('accepts parameter type %s', async (type) => {
    expect(errorCodes(await compileVariant({ 'specs/tools/deal_calls.yaml': [['type: string', `type: ${type}`]] }))).toEqual([]);
  });

  it('rejects a parameter type Bedrock does not know', async () => {
    expect(errorCodes(await compileVariant({ 'specs/tools/deal_calls.yaml': [['type: string', 'type: object']] }))).toEqual(['RV2004']);
  });
});
