/**
 * One agent's Converse loop: ask the model with the agent's instruction and tools; run each tool it calls (a
 * collaborator is a nested loop of the same kind, a manifest tool goes to the toolbox); hand the results back;
 * repeat until the model ends its turn. Yields trace events as things happen and returns the agent's final text —
 * empty when the model still gave none after being asked again (the caller decides what that means).
 * Each model call's token usage rides on the first event that call led to, so usage is counted once. A tool that
 * needs approval is not run: the run suspends (Suspended, with every agent's frame) and resumes from those frames
 * with the approved call's real result (resumeAgent).
 */
import type { ContentBlock, ConverseCommandInput, ConverseCommandOutput, Message, ToolUseBlock } from '@aws-sdk/client-bedrock-runtime';
import { needsApproval, type Manifest, type ManifestAgent, SIDE_EFFECT_KINDS } from '../../../compiler/manifest.ts';
import { renderResult } from '../../tools/actionGroup/renderResult.ts';
import type { Toolbox } from '../../tools/toolbox.ts';
import type { TokenUsage, TraceEvent } from '../trace.ts';
import { toolResultFields } from '../toolResultFields.ts';
import type { StepBudget } from './budget.ts';
import { type ResultShape, textResultBlock, toolResultBlock } from './toolResultBlock.ts';
import { acceptsToolResultStatus } from './toolResultStatus.ts';
import type { ToolSet } from './toolSpecs.ts';

export interface RunContext {
  manifest: Manifest;
  toolbox: Toolbox;
  budget: StepBudget;
  signal: AbortSignal;
  now: () => Date;
  /** One model call, retried on transient failures and bounded by the request's deadline. */
  converse(input: ConverseCommandInput): Promise<ConverseCommandOutput>;
  /** Called once a tool that changes something ran: from then on model calls are not retried. */
  sideEffectRan(): void;
  modelFor(agent: ManifestAgent): string;
  toolSetFor(agent: ManifestAgent): ToolSet;
  /** Appended to every agent's system prompt. */
  dateContext: string;
  /** The session's earlier turns, for the entry agent and collaborators that relay history. */
  history: Message[];
  entry: string;
}

export class ModelStopped extends Error {
  override readonly name = 'ModelStopped';
  constructor(readonly agent: string, readonly stopReason: string) {
    super(`the model for ${agent} stopped with ${stopReason}`);
  }
}

/** Stop reasons that end a turn with an answer (a guardrail's or filter's text is the answer the user gets). */
const ANSWERED = new Set(['end_turn', 'stop_sequence', 'guardrail_intervened', 'content_filtered']);
const SUMMARY_CHARS = 500;
/** A model turn with no text is asked again this many times (it is never stored: Bedrock refuses blank text). */
const BLANK_TURN_RETRIES = 1;

/** The turn as it may be sent back: blank text blocks dropped (a turn that also calls tools often carries one). */
function withoutBlankText(message: Message | undefined): Message {
  const content = (message?.content ?? []).filter((b) => b.text === undefined || b.text.trim() !== '');
  return { role: 'assistant', content };
}

const textOf = (message: Message): string =>
  (message.content ?? []).flatMap((b) => (b.text !== undefined ? [b.text] : [])).join('\n').trim();

/** Whether the agent's model takes `status` on a tool result (toolResultStatus.ts). */
const shapeFor = (agent: ManifestAgent, ctx: RunContext): ResultShape => ({ withStatus: acceptsToolResultStatus(ctx.modelFor(agent)) });

/**
 * Where a run stopped for approval, one frame per agent from the entry agent down: its messages so far (ending
 * with the model turn that asked for tools), the results of that turn's earlier calls, the call it waits on (a
 * collaborator's, or the gated tool's in the last frame) and the calls after it. JSON, stored with the action.
 */
export interface SuspendedFrame {
  agent: string;
  messages: Message[];
  results: ContentBlock[];
  waiting: ToolUseBlock;
  rest: ToolUseBlock[];
}

/** Thrown from the loop that met a tool needing approval; each enclosing agent adds its frame on the way out. */
export class Suspended extends Error {
  override readonly name = 'Suspended';
  constructor(readonly tool: string, readonly parameters: Record<string, unknown>, readonly frames: SuspendedFrame[]) {
    super(`${tool} waits for approval`);
  }
}

interface Continuation {
  results: ContentBlock[];
  rest: ToolUseBlock[];
}

export async function* runAgent(agent: ManifestAgent, request: string, ctx: RunContext, history: Message[]): AsyncGenerator<TraceEvent, string> {
  return yield* loop(agent, ctx, [...history, { role: 'user', content: [{ text: request }] }]);
}

/**
 * Continues a suspended run from its frames: the last frame gets `resultBlock` for the call it waited on, every
 * frame above it gets the answer of the agent below, and each carries on exactly as if the call had just returned.
 */
export async function* resumeAgent(frames: SuspendedFrame[], resultBlock: ContentBlock, ctx: RunContext, depth = 0): AsyncGenerator<TraceEvent, string> {
  const frame = frames[depth]!;
  const agent = ctx.manifest.agents.find((a) => a.name === frame.agent);
  if (!agent) throw new Error(`resume: no agent named ${frame.agent} in the manifest`);
  const below = frames[depth + 1]?.agent ?? '';
  const block = depth === frames.length - 1
    ? resultBlock
    : textResultBlock(frame.waiting.toolUseId ?? '', yield* resumeAgent(frames, resultBlock, ctx, depth + 1), shapeFor(agent, ctx), false,
      `${below} gave no answer; answer from what you already have, or ask ${below} again more precisely.`);
  return yield* loop(agent, ctx, [...frame.messages], { results: [...frame.results, block], rest: frame.rest });
}

async function* loop(agent: ManifestAgent, ctx: RunContext, messages: Message[], continuation?: Continuation): AsyncGenerator<TraceEvent, string> {
  const startedAt = ctx.now().toISOString();
  const started = performance.now();
  const { specs } = ctx.toolSetFor(agent);
  const isEntry = agent.name === ctx.entry;
  const state = { routed: continuation !== undefined, usage: undefined as TokenUsage | undefined };
  let blankTurns = 0;
  if (continuation) {
    const results = [...continuation.results];
    yield* runUses(agent, continuation.rest, ctx, messages, results, state);
    messages.push({ role: 'user', content: results });
  }
  for (;;) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    ctx.budget.take();
    const output = await ctx.converse({
      modelId: ctx.modelFor(agent),
      system: [{ text: `${agent.compiledInstruction}\n\n${ctx.dateContext}` }],
      messages: [...messages], // a snapshot: the loop keeps appending to its own list
      ...(specs.length ? { toolConfig: { tools: specs } } : {}),
    });
    state.usage = usageOf(output);
    const message = withoutBlankText(output.output?.message);
    const uses = (message.content ?? []).flatMap((b) => (b.toolUse ? [b.toolUse] : []));
    if (output.stopReason === 'tool_use' && uses.length > 0) {
      messages.push(message);
      const results: ContentBlock[] = [];
      yield* runUses(agent, uses, ctx, messages, results, state);
      messages.push({ role: 'user', content: results });
      continue;
    }
    if (!ANSWERED.has(output.stopReason ?? '')) throw new ModelStopped(agent.name, output.stopReason ?? 'no stop reason');
    const text = textOf(message);
    if (!text) {
      // Not stored, so the next call (and the session's later turns) never carry a blank block.
      if (blankTurns++ < BLANK_TURN_RETRIES) continue;
      ctx.budget.note(`${agent.name} gave no answer`);
      return '';
    }
    messages.push(message);
    if (isEntry && !state.routed) yield { type: 'route', agent: agent.name, at: ctx.now().toISOString(), target: agent.name, reason: 'answered by the supervisor itself' };
    yield { type: 'answer', agent: agent.name, at: startedAt, durationMs: Math.round(performance.now() - started), text, ...take(state) };
    return text;
  }
}

/** Each model call's usage rides on the first event that call led to, so usage is counted once. */
function take(state: { usage: TokenUsage | undefined }): { usage?: TokenUsage } {
  const u = state.usage;
  state.usage = undefined;
  return u ? { usage: u } : {};
}

/** Runs one model turn's tool calls in order, appending their results; a call needing approval suspends the run. */
async function* runUses(
  agent: ManifestAgent, uses: ToolUseBlock[], ctx: RunContext, messages: Message[], results: ContentBlock[],
  state: { routed: boolean; usage: TokenUsage | undefined },
): AsyncGenerator<TraceEvent, void> {
  const { byName } = ctx.toolSetFor(agent);
  const isEntry = agent.name === ctx.entry;
  const shape = shapeFor(agent, ctx);
  for (const [i, use] of uses.entries()) {
    const offered = byName.get(use.name ?? '');
    const id = use.toolUseId ?? '';
    const frame = (): SuspendedFrame => ({ agent: agent.name, messages: [...messages], results: [...results], waiting: use, rest: uses.slice(i + 1) });
    if (!offered) {
      results.push(textResultBlock(id, `There is no tool named ${use.name}; use one of: ${[...byName.keys()].join(', ') || 'none'}.`, shape, true));
    } else if (offered.kind === 'collaborator') {
      const target = offered.agent.name;
      const input = requestOf(use);
      if (isEntry && !state.routed) {
        state.routed = true;
        yield { type: 'route', agent: agent.name, at: ctx.now().toISOString(), target, reason: 'chosen by the supervisor model', ...take(state) };
      }
      const at = ctx.now().toISOString();
      const t0 = performance.now();
      yield { type: 'delegate', agent: agent.name, at, target, input, ...take(state) };
      ctx.budget.note(`${agent.name} delegated to ${target}`);
      const relay = agent.collaborators.find((c) => c.agent === target)?.relayConversationHistory === 'TO_COLLABORATOR' ? ctx.history : [];
      let answer: string;
      try {
        answer = yield* runAgent(offered.agent, input, ctx, relay);
      } catch (error) {
        if (error instanceof Suspended) error.frames.unshift(frame());
        throw error;
      }
      yield { type: 'delegate', agent: agent.name, at, durationMs: Math.round(performance.now() - t0), target, input, output: answer };
      results.push(textResultBlock(id, answer, shape, !answer,
        `${target} gave no answer; answer from what you already have, or ask ${target} again more precisely.`));
    } else {
      const tool = offered.tool;
      const parameters = isRecord(use.input) ? use.input : {};
      if (needsApproval(tool)) {
        ctx.budget.note(`${agent.name} asked to run ${tool.name} (waits for approval)`);
        throw new Suspended(tool.name, parameters, [frame()]);
      }
      const at = ctx.now().toISOString();
      yield { type: 'tool_call', agent: agent.name, at, tool: tool.name, callId: id, parameters, ...take(state) };
      if (SIDE_EFFECT_KINDS.has(tool.kind)) ctx.sideEffectRan();
      const result = await ctx.toolbox.run(tool.name, parameters, ctx.signal);
      yield {
        type: 'tool_result', agent: agent.name, at, durationMs: Math.round(result.stats.durationMs), tool: tool.name, callId: id,
        summary: renderResult(result, SUMMARY_CHARS), ...toolResultFields(result),
      };
      ctx.budget.note(result.ok ? `${agent.name} ran ${tool.name} (${result.stats.rowCount} rows)` : `${agent.name} ran ${tool.name} (failed: ${result.error?.code})`);
      results.push(toolResultBlock(id, result, tool.maxResultChars, shape));
    }
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function requestOf(use: ToolUseBlock): string {
  const input = use.input;
  if (isRecord(input) && typeof input.request === 'string') return input.request;
  return typeof input === 'string' ? input : JSON.stringify(input ?? {});
}

function usageOf(output: ConverseCommandOutput): TokenUsage | undefined {
  const u = output.usage;
  return u ? { inputTokens: u.inputTokens ?? 0, outputTokens: u.outputTokens ?? 0 } : undefined;
}
