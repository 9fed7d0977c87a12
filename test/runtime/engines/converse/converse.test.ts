import {
  AccessDeniedException, BedrockRuntimeClient, ConverseCommand, type ConverseCommandInput, ThrottlingException,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Manifest } from '../../../../compiler/manifest.ts';
import { collect } from '../../../../runtime/engines/collect.ts';
import { createConverseEngine, type ConverseEngineOptions } from '../../../../runtime/engines/converse/index.ts';
import { toolSetFor } from '../../../../runtime/engines/converse/toolSpecs.ts';
import { createEngine } from '../../../../runtime/engines/createEngine.ts';
import type { TraceEvent } from '../../../../runtime/engines/trace.ts';
import type { Toolbox } from '../../../../runtime/tools/toolbox.ts';
import { NOW, callsTool, says, shippedProject, type ShippedProject } from './scripted.ts';

const bedrock = mockClient(BedrockRuntimeClient);
const sleep = vi.fn(async (_ms: number) => {});
let project: ShippedProject;
let manifest: Manifest;
let toolbox: Toolbox;

beforeAll(async () => {
  project = await shippedProject();
  ({ manifest, toolbox } = project);
});
afterAll(() => project.close());
beforeEach(() => {
  bedrock.reset();
  sleep.mockClear();
});

const engine = (options: ConverseEngineOptions & { env?: Record<string, string> } = {}) =>
  createConverseEngine({ manifest, toolbox, env: options.env ?? {}, now: () => NOW, retry: { sleep, random: () => 0.5 }, ...options });
const sent = (): ConverseCommandInput[] => bedrock.commandCalls(ConverseCommand).map((c) => c.args[0].input);
const agentNamed = (name: string) => manifest.agents.find((a) => a.name === name)!;
const toolNames = (input: ConverseCommandInput) => input.toolConfig?.tools?.map((t) => t.toolSpec?.name) ?? [];

describe('Converse engine: supervisor -> collaborator -> tool', () => {
  const IXIS = 'What is the status of the IXIS deal?';
  let events: TraceEvent[];
  let result: Awaited<ReturnType<typeof collect>>;
  let requests: ConverseCommandInput[];

  beforeAll(async () => {
    bedrock.reset();
    bedrock.on(ConverseCommand)
      .resolvesOnce(callsTool('deal_analysis', { request: 'Status of the IXIS deal' }, [1000, 30]))
      .resolvesOnce(callsTool('deal_lookup', { deal_name: 'IXIS' }, [2000, 20]))
      .resolvesOnce(says('IXIS-Snowflake Cost Replacement: Negotiate, 75%.', [3000, 200]))
      .resolvesOnce(says('IXIS-Snowflake Cost Replacement: Negotiate, 75%.', [1500, 60]));
    result = await collect(engine().invoke({ agent: 'manager', text: IXIS, sessionId: 'loop' }));
    events = result.events;
    requests = sent(); // kept: the outer beforeEach resets the mock's call log
  });

  it('offers the supervisor one tool per collaborator with its description, collaboration instruction and {request}', () => {
    const [first] = requests;
    const manager = agentNamed('manager');
    expect(first!.modelId).toBe(manager.model ?? manifest.defaults.model);
    expect(first!.system![0]!.text!.startsWith(manager.compiledInstruction)).toBe(true);
    expect(first!.system![0]!.text).toContain('[Date context]\nToday: Friday, 2025-11-14');
    expect(toolNames(first!)).toEqual([...manager.collaborators.map((c) => c.agent), ...manager.tools]);
    const deal = first!.toolConfig!.tools!.find((t) => t.toolSpec?.name === 'deal_analysis')!.toolSpec!;
    expect(deal.description).toContain(agentNamed('deal_analysis').description);
    expect(deal.description).toContain(manager.collaborators.find((c) => c.agent === 'deal_analysis')!.instruction);
    expect(deal.inputSchema).toEqual({ json: expect.objectContaining({ required: ['request'] }) });
    expect(first!.messages).toEqual([{ role: 'user', content: [{ text: IXIS }] }]);
  });

  it('runs the collaborator with its own instruction and its tools\' schemas', () => {
    const second = requests[1]!;
    const dealAgent = agentNamed('deal_analysis');
    expect(second.system![0]!.text!.startsWith(dealAgent.compiledInstruction)).toBe(true);
    expect(toolNames(second)).toEqual(dealAgent.tools);
    const lookup = manifest.tools.find((t) => t.name === 'deal_lookup')!;
    const schema = second.toolConfig!.tools!.find((t) => t.toolSpec?.name === 'deal_lookup')!.toolSpec!.inputSchema;
    expect(schema).toEqual({ json: {
      type: 'object', required: lookup.parameters.filter((p) => p.required).map((p) => p.name),
      properties: Object.fromEntries(lookup.parameters.map((p) => [p.name, expect.objectContaining({ type: p.type, description: p.description })])),
    } });
    expect(second.messages!.at(-1)).toEqual({ role: 'user', content: [{ text: 'Status of the IXIS deal' }] });
  });

  it('hands the tool\'s rows back as a toolResult and the collaborator\'s answer back to the supervisor', async () => {
    const expected = await toolbox.run('deal_lookup', { deal_name: 'IXIS' });
    expect(expected.rows!.length).toBeGreaterThan(0);
    const third = requests[2]!;
    const [block] = third.messages!.at(-1)!.content!;
    expect(block!.toolResult).toMatchObject({ status: 'success', content: [{ json: { rowCount: expected.rows!.length, rows: expected.rows } }] });
    const fourth = requests[3]!;
    expect(fourth.messages!.at(-1)!.content![0]!.toolResult).toMatchObject({ status: 'success', content: [{ text: 'IXIS-Snowflake Cost Replacement: Negotiate, 75%.' }] });
  });

  it('emits route, delegate, tool_call, tool_result and answers, with the collaborator as who answered', () => {
    expect(events.map((e) => `${e.type}:${e.agent}`)).toEqual([
      'route:manager', 'delegate:manager', 'tool_call:deal_analysis', 'tool_result:deal_analysis', 'answer:deal_analysis', 'delegate:manager', 'answer:manager',
    ]);
    expect(events[0]).toMatchObject({ target: 'deal_analysis' });
    expect(events[2]).toMatchObject({ tool: 'deal_lookup', parameters: { deal_name: 'IXIS' } });
    expect(events[3]).toMatchObject({ ok: true, callId: (events[2] as { callId: string }).callId, rowCount: expect.any(Number) });
    expect(events[5]).toMatchObject({ target: 'deal_analysis', at: events[1]!.at, output: 'IXIS-Snowflake Cost Replacement: Negotiate, 75%.', durationMs: expect.any(Number) });
    expect(result).toMatchObject({ status: 'done', agent: 'deal_analysis', answer: 'IXIS-Snowflake Cost Replacement: Negotiate, 75%.' });
  });

  it('counts each model call\'s tokens once, on the events of the agent that made it', () => {
    const total = (agent: string) => events.filter((e) => e.agent === agent).reduce((n, e) => n + (e.usage?.inputTokens ?? 0), 0);
    expect(total('manager')).toBe(2500);
    expect(total('deal_analysis')).toBe(5000);
  });
});

describe('Converse engine: sessions', () => {
  it('puts the earlier turn before a follow-up, for the supervisor and a collaborator that relays history', async () => {
    const shared = engine();
    bedrock.on(ConverseCommand)
      .resolvesOnce(says('Hello, I can help with deals.'))
      .resolvesOnce(callsTool('deal_analysis', { request: 'Risks of IXIS' })).resolvesOnce(says('Budget delays.')).resolvesOnce(says('Budget delays.'))
      .resolvesOnce(says('Hi.'));
    await collect(shared.invoke({ agent: 'manager', text: 'hello', sessionId: 'A' }));
    await collect(shared.invoke({ agent: 'manager', text: 'and its risks?', sessionId: 'A' }));
    await collect(shared.invoke({ agent: 'manager', text: 'hello', sessionId: 'B' }));
    const [, followUp, collaborator, , other] = sent();
    const earlier = [{ role: 'user', content: [{ text: 'hello' }] }, { role: 'assistant', content: [{ text: 'Hello, I can help with deals.' }] }];
    expect(followUp!.messages).toEqual([...earlier, { role: 'user', content: [{ text: 'and its risks?' }] }]);
    expect(collaborator!.messages).toEqual([...earlier, { role: 'user', content: [{ text: 'Risks of IXIS' }] }]);
    expect(other!.messages).toEqual([{ role: 'user', content: [{ text: 'hello' }] }]);
  });

  it('uses REVOPS_MODEL for every agent naming no model of its own', async () => {
    bedrock.on(ConverseCommand).resolves(says('ok'));
    await collect(engine({ env: { REVOPS_MODEL: 'eu.anthropic.claude-sonnet-4' } }).invoke({ agent: 'manager', text: 'hi', sessionId: 's' }));
    expect(sent()[0]!.modelId).toBe('eu.anthropic.claude-sonnet-4');
  });
});

describe('Converse engine: budgets and failures', () => {
  it('stops when the step budget is spent, saying which budget and what was done', async () => {
    bedrock.on(ConverseCommand).resolvesOnce(callsTool('deal_analysis', { request: 'IXIS' })).resolves(callsTool('deal_lookup', { deal_name: 'IXIS' }));
    const result = await collect(engine({ maxSteps: 3 }).invoke({ agent: 'manager', text: 'IXIS?', sessionId: 's' }));
    expect(sent()).toHaveLength(3);
    expect(result.status).toBe('failed');
    expect(result.error!.code).toBe('step_budget_exceeded');
    expect(result.error!.message).toContain('3 model calls');
    expect(result.error!.message).toContain('manager delegated to deal_analysis; deal_analysis ran deal_lookup');
    expect(result.events.at(-1)!.agent).toBe('manager');
  });

  it('stops when the time budget runs out while the model is still thinking', async () => {
    const controller = new AbortController();
    bedrock.on(ConverseCommand).resolvesOnce(callsTool('deal_analysis', { request: 'IXIS' })).callsFake(() => new Promise(() => {}));
    const events: TraceEvent[] = [];
    for await (const event of engine().invoke({ agent: 'manager', text: 'IXIS?', sessionId: 's', signal: controller.signal })) {
      events.push(event);
      if (event.type === 'delegate') controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', code: 'time_budget_exceeded', message: expect.stringContaining('manager delegated to deal_analysis') });
  });

  it('passes a tool failure back to the model as an error toolResult and lets it answer', async () => {
    bedrock.on(ConverseCommand)
      .resolvesOnce(callsTool('deal_lookup', {}))
      .resolvesOnce(says('I need a deal name.'));
    const result = await collect(engine().invoke({ agent: 'deal_analysis', text: 'status?', sessionId: 's' }));
    const toolResult = sent()[1]!.messages!.at(-1)!.content![0]!.toolResult!;
    expect(toolResult.status).toBe('error');
    expect(toolResult.content![0]!.text).toContain('deal_name');
    expect(result.events.find((e) => e.type === 'tool_result')).toMatchObject({ ok: false, error: expect.stringMatching(/^invalid_parameter/u) });
    expect(result).toMatchObject({ status: 'done', answer: 'I need a deal name.' });
  });

  it('answers a call to a tool the agent does not have with an error naming the ones it has', async () => {
    bedrock.on(ConverseCommand).resolvesOnce(callsTool('drop_tables', {})).resolvesOnce(says('Sorry.'));
    await collect(engine().invoke({ agent: 'deal_analysis', text: 'x', sessionId: 's' }));
    const toolResult = sent()[1]!.messages!.at(-1)!.content![0]!.toolResult!;
    expect(toolResult).toMatchObject({ status: 'error', content: [{ text: expect.stringContaining('deal_lookup') }] });
  });

  it('retries throttling with backoff and full jitter, then answers', async () => {
    bedrock.on(ConverseCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Too many requests', $metadata: {} }))
      .rejectsOnce(new ThrottlingException({ message: 'Too many requests', $metadata: {} }))
      .resolvesOnce(says('Here you go.'));
    const result = await collect(engine().invoke({ agent: 'manager', text: 'hi', sessionId: 's' }));
    expect(result).toMatchObject({ status: 'done', answer: 'Here you go.' });
    expect(sleep.mock.calls.map(([ms]) => ms)).toEqual([250, 500]);
  });

  it('reports exhausted throttling and access denied with stable codes', async () => {
    bedrock.on(ConverseCommand).rejects(new ThrottlingException({ message: 'Too many requests', $metadata: {} }));
    const throttled = await collect(engine({ retry: { sleep, random: () => 0, attempts: 2 } }).invoke({ agent: 'manager', text: 'hi', sessionId: 's' }));
    expect(throttled.error!.code).toBe('bedrock_throttled');
    expect(sent()).toHaveLength(2);
    bedrock.reset();
    bedrock.on(ConverseCommand).rejects(new AccessDeniedException({ message: 'no access', $metadata: {} }));
    const denied = await collect(engine().invoke({ agent: 'manager', text: 'hi', sessionId: 's' }));
    expect(denied.error).toMatchObject({ code: 'bedrock_access_denied', message: expect.stringContaining('bedrock:InvokeModel') });
    expect(sent()).toHaveLength(1);
  });

  it('ends with model_stopped when the model runs out of tokens before answering', async () => {
    bedrock.on(ConverseCommand).resolves(says('The pipeline is', [10, 10], 'max_tokens'));
    const result = await collect(engine().invoke({ agent: 'manager', text: 'hi', sessionId: 's' }));
    expect(result.error).toMatchObject({ code: 'model_stopped', message: expect.stringContaining('max_tokens') });
  });

  it('reports an unusable REVOPS_CONVERSE_MAX_STEPS by name', async () => {
    const result = await collect(createConverseEngine({ manifest, toolbox, env: { REVOPS_CONVERSE_MAX_STEPS: '0' } }).invoke({ agent: 'manager', text: 'hi', sessionId: 's' }));
    expect(result.error).toMatchObject({ code: 'invalid_config', message: expect.stringContaining('REVOPS_CONVERSE_MAX_STEPS') });
    expect(sent()).toHaveLength(0);
  });

  it('reports an unknown entry agent', async () => {
    const result = await collect(engine().invoke({ agent: 'nobody', text: 'hi', sessionId: 's' }));
    expect(result.error!.code).toBe('unknown_agent');
    expect(sent()).toHaveLength(0);
  });
});

describe('Converse engine: the shipped specs', () => {
  it('gives every agent tools with legal, unique Converse names and its manifest names kept', () => {
    for (const agent of manifest.agents) {
      const names = toolSetFor(agent, manifest).specs.map((t) => t.toolSpec!.name!);
      for (const name of names) expect(name).toMatch(/^[a-zA-Z0-9_-]{1,64}$/u);
      expect(names).toEqual([...agent.collaborators.map((c) => c.agent), ...agent.tools]);
    }
  });

  it('is what createEngine builds for "converse"', async () => {
    const built = await createEngine('converse', { manifest, toolbox, env: {}, now: () => NOW });
    bedrock.on(ConverseCommand).resolves(says('ok'));
    expect(built.name).toBe('converse');
    expect((await collect(built.invoke({ agent: 'manager', text: 'hi', sessionId: 's' }))).answer).toBe('ok');
  });
});
