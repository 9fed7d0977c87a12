import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AccessDeniedException, BedrockAgentRuntimeClient, InvokeAgentCommand, ServiceQuotaExceededException, ThrottlingException,
} from '@aws-sdk/client-bedrock-agent-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Manifest } from '../../../../compiler/manifest.ts';
import { createBedrockAgentsEngine } from '../../../../runtime/engines/bedrockAgents/index.ts';
import { collect } from '../../../../runtime/engines/collect.ts';
import { buildConversationRecord } from '../../../../runtime/engines/conversation.ts';
import type { TraceEvent } from '../../../../runtime/engines/trace.ts';
import { renderResult } from '../../../../runtime/tools/actionGroup/renderResult.ts';
import type { Toolbox, ToolResult } from '../../../../runtime/tools/toolbox.ts';
import {
  bytes, callFunction, chunk, collaboratorReturned, delegateTo, functionReturned, modelOutput, orchestration, part, routing, streamOf,
} from './streams.ts';

const NOW = new Date('2025-11-14T09:00:00Z');
const manifest = { defaults: { model: 'm', idleSessionTtlSeconds: 600, fiscalYearStartMonth: 1 } } as Manifest;
const toolbox = {} as Toolbox;
const ENV = { REVOPS_AGENT_ID: 'SUPAGENT01', REVOPS_AGENT_ALIAS_ID: 'ALIAS00001', AWS_REGION: 'us-east-1' };

const bedrock = mockClient(BedrockAgentRuntimeClient);
const sleep = vi.fn(async (_ms: number) => {});
beforeEach(() => {
  bedrock.reset();
  sleep.mockClear();
});

const engine = (env: Record<string, string> = ENV, extra: Parameters<typeof createBedrockAgentsEngine>[0] extends infer D ? Partial<D> : never = {}) =>
  createBedrockAgentsEngine({ manifest, toolbox, env, now: () => NOW, retry: { sleep, random: () => 0.5 }, ...extra });
const ask = (text = 'What is the status of the IXIS deal?', sessionId = 'C0123:1700000000.000100') =>
  collect(engine().invoke({ agent: 'manager', text, sessionId }));
const response = (items: Parameters<typeof streamOf>[0]) => ({ completion: streamOf(items), contentType: 'application/json', sessionId: 's' });

describe('Bedrock Agents engine: the request', () => {
  it('invokes the configured alias with trace enabled, the session id and the date context before the words', async () => {
    bedrock.on(InvokeAgentCommand).resolves(response([chunk('ok')]));
    await ask('What deals are closing this quarter?');
    const [call] = bedrock.commandCalls(InvokeAgentCommand);
    const input = call!.args[0].input;
    expect(input).toMatchObject({ agentId: 'SUPAGENT01', agentAliasId: 'ALIAS00001', enableTrace: true, sessionId: 'C0123:1700000000.000100' });
    expect(input.inputText).toMatch(/^\[Date context\]\nToday: Friday, 2025-11-14\nTime: 09:00 UTC\nCurrent quarter: Q4 2025, 2025-10-01 to 2025-12-31\n/u);
    expect(input.inputText!.endsWith('\n\nWhat deals are closing this quarter?')).toBe(true);
  });

  it('joins the answer chunks, decoding a character split across two chunks', async () => {
    const euro = new TextEncoder().encode('€');
    bedrock.on(InvokeAgentCommand).resolves(response([chunk('Pipeline: 2.1M'), bytes(euro.slice(0, 1)), bytes(euro.slice(1)), chunk(' total')]));
    const result = await ask();
    expect(result).toMatchObject({ status: 'done', answer: 'Pipeline: 2.1M€ total', agent: 'manager' });
  });

  it('maps a session id Bedrock would reject to a legal, stable one', async () => {
    bedrock.on(InvokeAgentCommand).callsFake(() => response([chunk('ok')]));
    await ask('q', 'slack thread/with spaces#1');
    await ask('q', 'slack thread/with spaces#1');
    await ask('q', 'slack thread/with spaces#2');
    const ids = bedrock.commandCalls(InvokeAgentCommand).map((c) => c.args[0].input.sessionId!);
    for (const id of ids) expect(id).toMatch(/^[0-9a-zA-Z._:-]{2,100}$/u);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
  });
});

describe('Bedrock Agents engine: traces mapped to the trace model', () => {
  const dealStream = () => response([
    part(orchestration(modelOutput(1200, 80)), 0),
    part(orchestration(delegateTo('deal_analysis', 'Status of the IXIS deal')), 1),
    part(orchestration(modelOutput(900, 40)), 2, 'deal_analysis'),
    part(orchestration(callFunction('deal_lookup', { deal_name: 'IXIS' }, 'tr-1')), 2, 'deal_analysis'),
    part(orchestration(functionReturned('columns: opportunity_name | stage_name\n["IXIS-Snowflake Cost Replacement","Negotiate"]\n(1 row)', 'tr-1', 350)), 3, 'deal_analysis'),
    part(orchestration(modelOutput(1500, 300)), 4, 'deal_analysis'),
    part(orchestration(collaboratorReturned('deal_analysis', 'IXIS is in Negotiate at 75%.')), 6),
    part(orchestration(modelOutput(400, 60)), 7),
    chunk('IXIS is in Negotiate '), chunk('at 75%.'),
  ]);

  it('reports delegation, the collaborator\'s tool call and result, and who answered', async () => {
    bedrock.on(InvokeAgentCommand).resolves(dealStream());
    const result = await ask();
    const events = result.events.map(({ type, agent }) => `${type}:${agent}`);
    expect(events).toEqual([
      'delegate:manager', 'tool_call:deal_analysis', 'tool_result:deal_analysis', 'answer:deal_analysis', 'delegate:manager', 'answer:manager',
    ]);
    expect(result).toMatchObject({ status: 'done', agent: 'deal_analysis', answer: 'IXIS is in Negotiate at 75%.' });
    const [start, call, toolResult, , end] = result.events;
    expect(start).toMatchObject({ type: 'delegate', target: 'deal_analysis', input: 'Status of the IXIS deal', at: '2025-11-14T09:00:01.000Z' });
    expect(call).toMatchObject({ type: 'tool_call', tool: 'deal_lookup', parameters: { deal_name: 'IXIS' } });
    expect(toolResult).toMatchObject({ type: 'tool_result', tool: 'deal_lookup', callId: (call as { callId: string }).callId, ok: true, rowCount: 1, durationMs: 350 });
    expect(end).toMatchObject({ type: 'delegate', target: 'deal_analysis', at: start!.at, durationMs: 5000, output: 'IXIS is in Negotiate at 75%.' });
  });

  it('reads a page of rows as a page: rows shown and the records that matched in all', async () => {
    const page: ToolResult = {
      ok: true, tool: 'deals_at_risk', columns: [{ name: 'opportunity_name', type: 'VARCHAR' }],
      rows: Array.from({ length: 20 }, (_, i) => ({ opportunity_name: `Deal ${i}` })), totals: { amount: 38_912_000 },
      stats: { durationMs: 5, rowCount: 20, totalRows: 1_403, truncated: true },
    };
    bedrock.on(InvokeAgentCommand).resolves(response([
      part(orchestration(callFunction('deals_at_risk', {}, 'tr-9')), 0, 'deal_analysis'),
      part(orchestration(functionReturned(renderResult(page, 20_000), 'tr-9', 100)), 1, 'deal_analysis'),
      chunk('1,403 deals at risk.'),
    ]));
    const { events } = await ask();
    expect(events.find((e) => e.type === 'tool_result')).toMatchObject({ ok: true, rowCount: 20, totalRows: 1_403 });
  });

  it('attaches each model call\'s token usage to exactly one event of the agent that made it', async () => {
    bedrock.on(InvokeAgentCommand).resolves(dealStream());
    const { events } = await ask();
    const usageOf = (agent: string) => events.filter((e) => e.agent === agent && e.usage)
      .reduce((sum, e) => ({ inputTokens: sum.inputTokens + e.usage!.inputTokens, outputTokens: sum.outputTokens + e.usage!.outputTokens }), { inputTokens: 0, outputTokens: 0 });
    expect(usageOf('manager')).toEqual({ inputTokens: 1600, outputTokens: 140 });
    expect(usageOf('deal_analysis')).toEqual({ inputTokens: 2400, outputTokens: 340 });
    expect(events.find((e) => e.type === 'tool_call')!.usage).toEqual({ inputTokens: 900, outputTokens: 40 });
  });

  it('builds a conversation record with the handoff and the tool execution', async () => {
    bedrock.on(InvokeAgentCommand).resolves(dealStream());
    const { events } = await ask();
    const record = buildConversationRecord({ text: 'q', sessionId: 's', correlationId: 'c', channel: 'slack', startedAt: NOW.toISOString() }, events);
    expect(record.collaboration_map).toEqual([expect.objectContaining({ from: 'manager', to: 'deal_analysis', output: 'IXIS is in Negotiate at 75%.' })]);
    expect(record.tool_executions).toEqual([expect.objectContaining({ tool: 'deal_lookup', agent: 'deal_analysis', ok: true, rows: 1 })]);
    expect(record.response_content).toMatchObject({ agent: 'deal_analysis', status: 'done' });
  });

  it('maps a routing-classifier decision to a route to the chosen collaborator', async () => {
    bedrock.on(InvokeAgentCommand).resolves(response([
      part(routing({ modelInvocationOutput: { traceId: 'r', metadata: { usage: { inputTokens: 300, outputTokens: 5 } } } }), 0),
      part(routing({ invocationInput: { traceId: 'r', agentCollaboratorInvocationInput: { agentCollaboratorName: 'lead_analysis', input: { type: 'TEXT', text: 'Assess John Smith' } } } }), 0),
      part(routing({ observation: { traceId: 'r', agentCollaboratorInvocationOutput: { agentCollaboratorName: 'lead_analysis', output: { type: 'TEXT', text: 'ICP 85/100' } } } }), 3),
      chunk('ICP 85/100'),
    ]));
    const result = await ask('Assess John Smith from DataCorp');
    expect(result.events[0]).toMatchObject({ type: 'route', agent: 'manager', target: 'lead_analysis', usage: { inputTokens: 300, outputTokens: 5 } });
    expect(result).toMatchObject({ status: 'done', agent: 'lead_analysis', answer: 'ICP 85/100' });
  });

  it('reports a failing tool as a failed tool_result', async () => {
    bedrock.on(InvokeAgentCommand).resolves(response([
      part(orchestration(callFunction('firebolt_sql_query', { query: 'DELETE FROM accounts' }, 'tr-9')), 0, 'data'),
      part(orchestration(functionReturned('Error (refused): only read-only statements run here', 'tr-9')), 1, 'data'),
      chunk('I can only read data.'),
    ]));
    const { events } = await ask();
    expect(events[1]).toMatchObject({ type: 'tool_result', tool: 'firebolt_sql_query', ok: false, error: expect.stringContaining('refused') });
  });

  it('turns failure traces into error events and ends failed when no answer came', async () => {
    bedrock.on(InvokeAgentCommand).resolves(response([
      part(orchestration(delegateTo('data', 'pipeline')), 0),
      part({ failureTrace: { traceId: 'f1', failureReason: 'Action group Lambda timed out', failureCode: 424 } }, 2, 'data'),
      part({ failureTrace: { traceId: 'f2', failureReason: 'Collaborator failed' } }, 3),
    ]));
    const result = await ask();
    expect(result.events.filter((e) => e.type === 'error').map((e) => e.agent)).toEqual(['data', 'manager']);
    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'bedrock_agent_failure', message: expect.stringContaining('Collaborator failed') });
    expect(result.events[1]).toMatchObject({ message: expect.stringContaining('(424): Action group Lambda timed out') });
  });

  it('ends with an empty_answer error when the stream carries neither text nor failure', async () => {
    bedrock.on(InvokeAgentCommand).resolves(response([]));
    expect((await ask()).error?.code).toBe('empty_answer');
  });
});

describe('Bedrock Agents engine: throttling and errors', () => {
  it('retries a throttled call and throttling inside the stream, then answers', async () => {
    bedrock.on(InvokeAgentCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }))
      .resolvesOnce(response([part(orchestration(delegateTo('data', 'x')), 0), { throttlingException: { name: 'ThrottlingException', message: 'slow down' } as never }]))
      .resolvesOnce(response([chunk('Done.')]));
    const result = await ask();
    expect(result).toMatchObject({ status: 'done', answer: 'Done.' });
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(3);
    // Full jitter with random() = 0.5: half of 500 ms, then half of 1000 ms.
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([250, 500]);
  });

  it('retries an internal error inside the stream before any tool ran', async () => {
    bedrock.on(InvokeAgentCommand)
      .resolvesOnce(response([{ internalServerException: { name: 'InternalServerException', message: 'try later' } as never }]))
      .resolvesOnce(response([chunk('Done.')]));
    expect(await ask()).toMatchObject({ status: 'done', answer: 'Done.' });
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(2);
  });

  it('does not resend the input once the agent invoked an action group (it may have written)', async () => {
    bedrock.on(InvokeAgentCommand)
      .resolvesOnce(response([part(orchestration(callFunction('firebolt_writer', { deal: 'IXIS' }, 't-write')), 0),
        { throttlingException: { name: 'ThrottlingException', message: 'slow down' } as never }]))
      .resolves(response([chunk('Written again.')]));
    const result = await ask();
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(1);
    expect(sleep).not.toHaveBeenCalled();
    expect(result.events.map((e) => e.type)).toContain('tool_call');
    expect(result.error).toMatchObject({ code: 'bedrock_throttled' });
  });

  it('gives up after the configured attempts with a bedrock_throttled error', async () => {
    bedrock.on(InvokeAgentCommand).rejects(new ServiceQuotaExceededException({ message: 'Quota', $metadata: {} }));
    const result = await collect(engine(ENV, { retry: { sleep, random: () => 0.5, attempts: 3 } }).invoke({ agent: 'manager', text: 'q', sessionId: 'ss' }));
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(3);
    expect(result.events).toHaveLength(1);
    expect(result.error).toMatchObject({ code: 'bedrock_throttled', message: expect.stringContaining('3 times') });
  });

  it('does not retry access denied and says what to check', async () => {
    bedrock.on(InvokeAgentCommand).rejects(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));
    const result = await ask();
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(1);
    expect(sleep).not.toHaveBeenCalled();
    expect(result.error).toMatchObject({ code: 'bedrock_access_denied', message: expect.stringContaining('bedrock:InvokeAgent') });
  });

  it('stops a stalled stream when the caller\'s signal aborts, saying what was done so far', async () => {
    const controller = new AbortController();
    async function* stalled() {
      yield part(orchestration(delegateTo('data', 'x')), 0);
      await new Promise(() => {});
    }
    bedrock.on(InvokeAgentCommand).resolves({ completion: stalled(), contentType: 'x', sessionId: 's' });
    const events: TraceEvent[] = [];
    for await (const event of engine().invoke({ agent: 'manager', text: 'q', sessionId: 'ss', signal: controller.signal })) {
      events.push(event);
      if (event.type === 'delegate') controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'time_budget_exceeded', message: expect.stringContaining('delegate by manager') });
  });
});

describe('Bedrock Agents engine: which alias', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'revops-agents-')); });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('answers without ids with an error naming both variables and the outputs file, calling nothing', async () => {
    const result = await collect(engine({}, { cwd: dir }).invoke({ agent: 'manager', text: 'q', sessionId: 'ss' }));
    expect(result.error).toMatchObject({ code: 'agent_not_configured', message: expect.stringMatching(/REVOPS_AGENT_ID and REVOPS_AGENT_ALIAS_ID.*stack-outputs\.json/u) });
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });

  it('refuses the draft alias TSTALIASID and half a configuration', async () => {
    const draft = await collect(engine({ REVOPS_AGENT_ID: 'A', REVOPS_AGENT_ALIAS_ID: 'TSTALIASID' }).invoke({ agent: 'manager', text: 'q', sessionId: 'ss' }));
    expect(draft.error).toMatchObject({ code: 'draft_alias_refused', message: expect.stringContaining('TSTALIASID') });
    const half = await collect(engine({ REVOPS_AGENT_ID: 'A' }).invoke({ agent: 'manager', text: 'q', sessionId: 'ss' }));
    expect(half.error).toMatchObject({ code: 'agent_not_configured', message: expect.stringContaining('REVOPS_AGENT_ALIAS_ID') });
    expect(bedrock.commandCalls(InvokeAgentCommand)).toHaveLength(0);
  });

  it('reports an unusable REVOPS_ENGINE_TIMEOUT_SECONDS by name', async () => {
    const result = await collect(engine({ ...ENV, REVOPS_ENGINE_TIMEOUT_SECONDS: 'soon' }).invoke({ agent: 'manager', text: 'q', sessionId: 'ss' }));
    expect(result.error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('REVOPS_ENGINE_TIMEOUT_SECONDS') });
  });

  it('reads the entry agent\'s alias from the deploy outputs, and reports an agent that is not deployed', async () => {
    await mkdir(join(dir, 'build'));
    await writeFile(join(dir, 'build', 'stack-outputs.json'), JSON.stringify({ agents: { manager: { agentId: 'MGR1', aliasId: 'PROD1' } } }));
    bedrock.on(InvokeAgentCommand).resolves(response([chunk('ok')]));
    const outputsEngine = engine({}, { cwd: dir });
    await collect(outputsEngine.invoke({ agent: 'manager', text: 'q', sessionId: 'ss' }));
    expect(bedrock.commandCalls(InvokeAgentCommand)[0]!.args[0].input).toMatchObject({ agentId: 'MGR1', agentAliasId: 'PROD1' });
    const missing = await collect(outputsEngine.invoke({ agent: 'other', text: 'q', sessionId: 'ss' }));
    expect(missing.error).toMatchObject({ code: 'agent_not_deployed', message: expect.stringContaining('manager') });
  });
});
