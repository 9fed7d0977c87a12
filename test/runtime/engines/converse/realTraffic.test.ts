/**
 * What real Bedrock traffic does to a Converse run: a model turn with no text, a collaborator that answers
 * nothing, a ServiceUnavailableException or a reset socket between turns, models that refuse `toolResult.status`,
 * and a failure after a write. The real SDK client is mocked at its send boundary; the toolbox is the real one.
 */
import {
  BedrockRuntimeClient, ConverseCommand, type ConverseCommandInput, type Message, ServiceUnavailableException,
} from '@aws-sdk/client-bedrock-runtime';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Manifest } from '../../../../compiler/manifest.ts';
import { collect } from '../../../../runtime/engines/collect.ts';
import { createConverseEngine, type ConverseEngineOptions } from '../../../../runtime/engines/converse/index.ts';
import { acceptsToolResultStatus } from '../../../../runtime/engines/converse/toolResultStatus.ts';
import { createToolbox } from '../../../../runtime/tools/createToolbox.ts';
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

const engine = (options: ConverseEngineOptions & { env?: Record<string, string>; manifest?: Manifest; toolbox?: Toolbox } = {}) =>
  createConverseEngine({ manifest, toolbox, env: options.env ?? {}, now: () => NOW, retry: { sleep, random: () => 0.5 }, ...options });
const sent = (): ConverseCommandInput[] => bedrock.commandCalls(ConverseCommand).map((c) => c.args[0].input);
const unavailable = () => new ServiceUnavailableException({ message: 'Bedrock is unavailable', $metadata: {} });
const texts = (messages: Message[] | undefined): string[] =>
  (messages ?? []).flatMap((m) => (m.content ?? []).flatMap((b) => [b.text, ...(b.toolResult?.content ?? []).map((c) => c.text)]))
    .filter((t): t is string => t !== undefined);

describe('Converse under real traffic', () => {
  it('answers through an empty turn and a ServiceUnavailableException, sending and storing no blank text', async () => {
    const shared = engine();
    bedrock.on(ConverseCommand)
      .resolvesOnce(says('   '))
      .rejectsOnce(unavailable())
      .resolvesOnce(says('Pipeline is $4.2M.'))
      .resolvesOnce(says('Follow-up answered.'));
    const first = await collect(shared.invoke({ agent: 'manager', text: 'pipeline?', sessionId: 'S' }));
    expect(first).toMatchObject({ status: 'done', answer: 'Pipeline is $4.2M.' });
    expect(sleep).toHaveBeenCalledTimes(1);
    await collect(shared.invoke({ agent: 'manager', text: 'and next quarter?', sessionId: 'S' }));
    const requests = sent();
    expect(requests).toHaveLength(4);
    for (const request of requests) expect(texts(request.messages).filter((t) => !t.trim())).toEqual([]);
    expect(requests[3]!.messages).toEqual([
      { role: 'user', content: [{ text: 'pipeline?' }] }, { role: 'assistant', content: [{ text: 'Pipeline is $4.2M.' }] },
      { role: 'user', content: [{ text: 'and next quarter?' }] },
    ]);
  });

  it('drops the blank text block of a turn that calls a tool before sending it back', async () => {
    bedrock.on(ConverseCommand)
      .resolvesOnce({ ...callsTool('deal_lookup', { deal_name: 'IXIS' }), output: { message: { role: 'assistant', content: [
        { text: '' }, { toolUse: { toolUseId: 'tu-blank', name: 'deal_lookup', input: { deal_name: 'IXIS' } } }] } } })
      .resolvesOnce(says('IXIS is in Negotiate.'));
    const result = await collect(engine().invoke({ agent: 'deal_analysis', text: 'IXIS?', sessionId: 's' }));
    expect(result.status).toBe('done');
    expect(sent()[1]!.messages![1]).toEqual({ role: 'assistant', content: [{ toolUse: expect.objectContaining({ toolUseId: 'tu-blank' }) }] });
  });

  it('hands a collaborator\'s empty answer to the supervisor as a failed result with words, never an empty one', async () => {
    bedrock.on(ConverseCommand)
      .resolvesOnce(callsTool('deal_analysis', { request: 'IXIS status' }))
      .resolvesOnce(says('')).resolvesOnce(says(' \n '))
      .resolvesOnce(says('I could not get the deal status; try again.'));
    const result = await collect(engine().invoke({ agent: 'manager', text: 'IXIS?', sessionId: 's' }));
    expect(result).toMatchObject({ status: 'done', answer: 'I could not get the deal status; try again.' });
    const toolResult = sent()[3]!.messages!.at(-1)!.content![0]!.toolResult!;
    expect(toolResult.status).toBe('error');
    expect(toolResult.content![0]!.text).toContain('deal_analysis gave no answer');
  });

  it('ends with empty_answer (and stores nothing) when the entry model stays silent', async () => {
    const shared = engine();
    bedrock.on(ConverseCommand).resolvesOnce(says('')).resolvesOnce(says('')).resolvesOnce(says('Hello.'));
    const silent = await collect(shared.invoke({ agent: 'manager', text: 'hi', sessionId: 'Q' }));
    expect(silent.error).toMatchObject({ code: 'empty_answer', message: expect.stringContaining('without any text') });
    await collect(shared.invoke({ agent: 'manager', text: 'hello?', sessionId: 'Q' }));
    expect(sent()[2]!.messages).toEqual([{ role: 'user', content: [{ text: 'hello?' }] }]);
  });

  it('retries a reset socket and an exhausted outage reads bedrock_unavailable', async () => {
    bedrock.on(ConverseCommand).rejectsOnce(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })).resolvesOnce(says('ok'));
    expect((await collect(engine().invoke({ agent: 'manager', text: 'hi', sessionId: 's' }))).answer).toBe('ok');
    bedrock.reset();
    bedrock.on(ConverseCommand).rejects(unavailable());
    const down = await collect(engine({ retry: { sleep, random: () => 0, attempts: 3 } }).invoke({ agent: 'manager', text: 'hi', sessionId: 's' }));
    expect(down.error).toMatchObject({ code: 'bedrock_unavailable', message: expect.stringContaining('unavailable on 3 attempts') });
    expect(sent()).toHaveLength(3);
  });

  it('does not resend a model call once a write tool ran (a write whose policy lets it run unapproved)', async () => {
    const tools = manifest.tools.map((t) => (t.name === 'firebolt_writer' ? { ...t, approval: 'none' as const } : t));
    const unguarded = { ...manifest, tools };
    bedrock.on(ConverseCommand).resolvesOnce(callsTool('firebolt_writer', {})).rejects(unavailable());
    const result = await collect(engine({ manifest: unguarded, toolbox: createToolbox(tools, { warehouse: project.warehouse, env: {}, now: () => NOW }) })
      .invoke({ agent: 'execution', text: 'update IXIS', sessionId: 's' }));
    expect(result.error!.code).toBe('bedrock_unavailable');
    expect(sent()).toHaveLength(2);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('sends toolResult.status only to models that accept it', async () => {
    for (const [model, withStatus] of [['us.anthropic.claude-sonnet-4-6', true], ['meta.llama3-1-70b-instruct-v1:0', false]] as const) {
      bedrock.reset();
      bedrock.on(ConverseCommand).resolvesOnce(callsTool('deal_lookup', {})).resolvesOnce(says('Which deal?'));
      await collect(engine({ env: { REVOPS_MODEL: model } }).invoke({ agent: 'deal_analysis', text: 'status?', sessionId: 's' }));
      const toolResult = sent()[1]!.messages!.at(-1)!.content![0]!.toolResult!;
      expect('status' in toolResult).toBe(withStatus);
    }
  });
});

describe('which models take toolResult.status (the Bedrock ToolResultBlock reference)', () => {
  it.each([
    ['us.anthropic.claude-sonnet-4-6', true], ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', true],
    ['anthropic.claude-3-haiku-20240307-v1:0', true], ['eu.amazon.nova-pro-v1:0', true], ['us.anthropic.claude-opus-4-1-20250805-v1:0', true],
    ['mistral.mistral-large-2407-v1:0', false], ['us.meta.llama3-2-90b-instruct-v1:0', false], ['cohere.command-r-plus-v1:0', false],
  ])('%s -> %s', (model, expected) => expect(acceptsToolResultStatus(model)).toBe(expected));
});
