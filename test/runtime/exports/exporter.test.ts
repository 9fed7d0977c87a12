import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mockClient } from 'aws-sdk-client-mock';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createExporter, createLocalExportSink, createS3ExportSink, listConversations, REDACTED } from '../../../runtime/exports/index.ts';
import { buildOutcome } from '../../../runtime/processing/outcome.ts';
import type { TraceEvent } from '../../../runtime/engines/trace.ts';
import { webhookMessage } from '../helpers/messages.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'revops-exports-'));
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const at = '2026-03-05T09:08:07.000Z';
const events = (answer: string, extra: TraceEvent[] = []): TraceEvent[] => [
  { type: 'route', agent: 'manager', at, target: 'deal_analysis' },
  { type: 'delegate', agent: 'manager', at, target: 'deal_analysis', input: 'status of IXIS' },
  { type: 'tool_call', agent: 'deal_analysis', at, tool: 'deal_lookup', callId: 'c1', parameters: { deal_name: 'IXIS' } },
  { type: 'tool_result', agent: 'deal_analysis', at, tool: 'deal_lookup', callId: 'c1', ok: true, rowCount: 1, durationMs: 12,
    rows: [{ amount: 2134000, probability: 75, close_date: '2025-12-31', employees: 1200 }] },
  ...extra,
  { type: 'answer', agent: 'manager', at, text: answer, skill: 'deal_status' },
];

describe('conversation export', () => {
  it('writes conversation.json and metadata.json under YYYY/MM/DD/<timestamp>-<id>/', async () => {
    const exporter = createExporter({ sink: createLocalExportSink(dir) });
    const message = webhookMessage({ id: 'conv-1' });
    const outcome = buildOutcome(message, events('Size: $2.1M'), at, at, { deal_lookup: 'sql' });
    const { location } = await exporter.export(message, outcome);
    expect(location).toBe(join(dir, '2026/03/05/2026-03-05T09-08-07-conv-1'));
    const conversation = JSON.parse(await readFile(join(location, 'conversation.json'), 'utf8'));
    expect(conversation).toMatchObject({
      conversation_id: 'conv-1', user_input: { text: message.text },
      tool_executions: [{ tool: 'deal_lookup', rows: 1, ok: true }],
      collaboration_map: [{ from: 'manager', to: 'deal_analysis' }],
      response_content: { text: 'Size: $2.1M', status: 'done' }, counts: { sql_queries: 1 },
    });
    const metadata = JSON.parse(await readFile(join(location, 'metadata.json'), 'utf8'));
    expect(metadata).toMatchObject({ conversation_id: 'conv-1', status: 'done', route: { agent: 'deal_analysis', skill: 'deal_status' },
      agent_count: 2, tool_executions: 1, sql_queries: 1, data_sources: ['deal_lookup'] });
  });

  it('records an answer with failed steps as partial, with what could not be checked', async () => {
    const exporter = createExporter({ sink: createLocalExportSink(dir) });
    const message = webhookMessage({ id: 'conv-partial' });
    const gap = { tool: 'deal_calls', task: 'read the call notes', reason: 'the calls service is not configured' };
    const failed: TraceEvent[] = [{ type: 'tool_result', agent: 'deal_analysis', at, tool: 'deal_calls', callId: 'c2', ok: false, error: 'not_configured: Gong is half configured' }];
    const trace = events('Size: $2.1M', failed).map((e) => (e.type === 'answer' ? { ...e, gaps: [gap] } : e));
    const { location } = await exporter.export(message, buildOutcome(message, trace, at, at));
    const conversation = JSON.parse(await readFile(join(location, 'conversation.json'), 'utf8'));
    expect(conversation.response_content).toMatchObject({ status: 'partial', gaps: [gap] });
    expect(conversation.error_handling).toEqual([expect.objectContaining({ code: 'tool_failed', message: 'deal_calls: not_configured: Gong is half configured' })]);
  });

  it('never overwrites: two exports in the same second, even of the same id, get their own folders', async () => {
    const exporter = createExporter({ sink: createLocalExportSink(dir) });
    const a = webhookMessage({ id: 'same' });
    const outcome = buildOutcome(a, events('ok'), at, at);
    const [first, second, third] = await Promise.all([
      exporter.export(a, outcome), exporter.export(a, outcome), exporter.export(webhookMessage({ id: 'other' }), outcome),
    ]);
    expect(new Set([first.location, second.location, third.location]).size).toBe(3);
    expect((await readdir(join(dir, '2026/03/05'))).filter((n) => !n.startsWith('.'))).toHaveLength(3);
  });

  it('redacts tokens and secrets wherever they appear', async () => {
    const exporter = createExporter({ sink: createLocalExportSink(dir) });
    const slackToken = ['xoxb', '123456789012', 'abcdefghijklmnop'].join('-');
    const awsKey = `AKIA${'ABCDEFGHIJKLMNOP'}`;
    const message = webhookMessage({ text: `use token ${slackToken} and key ${awsKey}` });
    const extra: TraceEvent[] = [{ type: 'tool_call', agent: 'execution', at, tool: 'webhook_post', callId: 'c2',
      parameters: { url: 'https://hooks.example.com', authorization: 'Bearer abcdefghijklmnopqrstuvwxyz', password: 'hunter2', api_key: 'k-123' } }];
    const outcome = buildOutcome(message, events('done with Bearer abcdefghijklmnop123', extra), at, at);
    const { location } = await exporter.export(message, outcome);
    const text = await readFile(join(location, 'conversation.json'), 'utf8');
    for (const secret of [slackToken, awsKey, 'hunter2', 'k-123', 'abcdefghijklmnopqrstuvwxyz', 'abcdefghijklmnop123']) expect(text).not.toContain(secret);
    expect(text).toContain(REDACTED);
    expect(text).toContain('https://hooks.example.com');
  });

  it('lists exports newest first for `revops conversations`', async () => {
    const exporter = createExporter({ sink: createLocalExportSink(dir) });
    for (const [id, time] of [['old', '2026-01-01T00:00:00.000Z'], ['new', '2026-02-01T00:00:00.000Z']] as const) {
      const m = webhookMessage({ id });
      await exporter.export(m, buildOutcome(m, events('ok'), time, time));
    }
    const listed = await listConversations(dir, 1);
    expect(listed.map((l) => l.metadata.conversation_id)).toEqual(['new']);
  });

  it('writes to S3 under conversation-history/ with If-None-Match so nothing is overwritten', async () => {
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    const exporter = createExporter({ sink: createS3ExportSink(new S3Client({ region: 'us-east-1' }), 'bucket', 'conversation-history') });
    const m = webhookMessage({ id: 'c9' });
    const { location } = await exporter.export(m, buildOutcome(m, events('ok'), at, at));
    const keys = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(keys.map((k) => k.Key)).toEqual([
      'conversation-history/2026/03/05/2026-03-05T09-08-07-c9/conversation.json',
      'conversation-history/2026/03/05/2026-03-05T09-08-07-c9/metadata.json',
    ]);
    expect(keys.every((k) => k.IfNoneMatch === '*' && k.Bucket === 'bucket')).toBe(true);
    expect(location).toBe('s3://bucket/conversation-history/2026/03/05/2026-03-05T09-08-07-c9/');
    s3.restore();
  });
});
