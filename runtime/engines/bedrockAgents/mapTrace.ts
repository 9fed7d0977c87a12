/**
 * Bedrock Agents trace parts -> the common trace model. One mapper per InvokeAgent stream, because some events
 * need what came before: a delegation's end carries its start time (the conversation record pairs them by it),
 * an action-group observation names no function (it is matched to its invocation by trace id), and token usage
 * arrives on model-invocation outputs that are not events of their own (it is held per agent and attached to
 * that agent's next event, so each model call is counted exactly once).
 *
 * Who emitted a part: `callerChain` lists the alias ARNs from the supervisor down; a chain longer than one means
 * a collaborator, named by `collaboratorName` (the association name, which the compiler makes the agent name).
 */
import type { ActionGroupInvocationInput, Metadata, Observation, TracePart } from '@aws-sdk/client-bedrock-agent-runtime';
import type { TokenUsage, TraceEvent } from '../trace.ts';

/** Tool output kept on the trace; the full text went to the model, the trace needs only a glimpse. */
const SUMMARY_CHARS = 500;

interface Pending {
  at: string;
  startMs: number;
}

export class TraceMapper {
  private readonly delegations = new Map<string, Array<Pending & { input: string }>>();
  private readonly toolCalls = new Map<string, Pending & { tool: string; callId: string }>();
  private readonly usage = new Map<string, TokenUsage>();
  private calls = 0;
  /** The last collaborator whose output came back to the supervisor: the one that answered. */
  lastRelayed: string | undefined;
  /** The supervisor's final response from the trace, used when no answer chunk arrived. */
  finalResponse: string | undefined;

  constructor(private readonly supervisor: string, private readonly now: () => Date) {}

  emitterOf(part: TracePart): string {
    const depth = part.callerChain?.length;
    if (depth === 1) return this.supervisor;
    return part.collaboratorName && part.collaboratorName !== this.supervisor ? part.collaboratorName : this.supervisor;
  }

  map(part: TracePart): TraceEvent[] {
    const agent = this.emitterOf(part);
    const time = part.eventTime ?? this.now();
    const trace = part.trace;
    if (!trace) return [];
    if (trace.failureTrace) {
      const f = trace.failureTrace;
      return [this.withUsage({
        type: 'error', agent, at: time.toISOString(), code: 'bedrock_agent_failure',
        message: `The agent ${agent} failed${f.failureCode ? ` (${f.failureCode})` : ''}: ${f.failureReason ?? 'no reason given'}. Check the agent's action-group Lambda logs and its instruction, then retry.`,
      })];
    }
    const steps = trace.orchestrationTrace ?? trace.routingClassifierTrace;
    if (!steps) return [];
    const routing = Boolean(trace.routingClassifierTrace);
    if (steps.modelInvocationOutput) this.addUsage(agent, steps.modelInvocationOutput.metadata);
    if (steps.invocationInput) {
      const input = steps.invocationInput;
      const collaborator = input.agentCollaboratorInvocationInput;
      if (collaborator?.agentCollaboratorName) {
        const target = collaborator.agentCollaboratorName;
        const delegate = this.startDelegation(agent, target, collaborator.input?.text ?? '', time);
        return routing ? [this.withUsage({ type: 'route', agent, at: time.toISOString(), target, reason: 'routing classifier' }), delegate] : [this.withUsage(delegate)];
      }
      if (input.actionGroupInvocationInput) return [this.withUsage(this.startToolCall(agent, input.traceId, input.actionGroupInvocationInput, time))];
      return [];
    }
    if (steps.observation) return this.observe(agent, steps.observation, time);
    return [];
  }

  /** What the emitter's model calls cost that no event carried yet; cleared once read. */
  takeUsage(agent: string): TokenUsage | undefined {
    const usage = this.usage.get(agent);
    this.usage.delete(agent);
    return usage;
  }

  private observe(agent: string, observation: Observation, time: Date): TraceEvent[] {
    const output = observation.agentCollaboratorInvocationOutput;
    if (output?.agentCollaboratorName) {
      this.addUsage(output.agentCollaboratorName, output.metadata);
      return this.endDelegation(agent, output.agentCollaboratorName, output.output?.text ?? '', output.metadata, time);
    }
    const result = observation.actionGroupInvocationOutput;
    if (result) {
      const key = `${agent}|${observation.traceId ?? ''}`;
      const call = this.toolCalls.get(key) ?? { at: time.toISOString(), startMs: time.getTime(), tool: 'unknown', callId: `call-${++this.calls}` };
      this.toolCalls.delete(key);
      this.addUsage(agent, result.metadata);
      return [this.withUsage(toolResult(agent, call, result.text ?? '', durationOf(result.metadata, call, time)))];
    }
    if (observation.finalResponse?.text !== undefined && agent === this.supervisor) this.finalResponse = observation.finalResponse.text;
    return [];
  }

  private startDelegation(agent: string, target: string, input: string, time: Date): TraceEvent {
    const key = `${agent}>${target}`;
    const pending = { at: time.toISOString(), startMs: time.getTime(), input };
    this.delegations.set(key, [...(this.delegations.get(key) ?? []), pending]);
    return { type: 'delegate', agent, at: pending.at, target, input };
  }

  /** The collaborator's own answer (with its remaining usage), then the delegation's end paired with its start. */
  private endDelegation(agent: string, target: string, output: string, metadata: Metadata | undefined, time: Date): TraceEvent[] {
    const key = `${agent}>${target}`;
    const queue = this.delegations.get(key) ?? [];
    const start = queue.shift() ?? { at: time.toISOString(), startMs: time.getTime(), input: '' };
    if (agent === this.supervisor) this.lastRelayed = target;
    const durationMs = durationOf(metadata, start, time);
    const usage = this.takeUsage(target);
    return [
      { type: 'answer', agent: target, at: time.toISOString(), text: output, ...(usage ? { usage } : {}) },
      { type: 'delegate', agent, at: start.at, durationMs, target, input: start.input, output },
    ];
  }

  private startToolCall(agent: string, traceId: string | undefined, input: ActionGroupInvocationInput, time: Date): TraceEvent {
    const tool = input.function ?? input.apiPath ?? input.actionGroupName ?? 'unknown';
    const callId = input.invocationId ?? traceId ?? `call-${++this.calls}`;
    this.toolCalls.set(`${agent}|${traceId ?? ''}`, { at: time.toISOString(), startMs: time.getTime(), tool, callId });
    const parameters = Object.fromEntries((input.parameters ?? []).map((p) => [p.name ?? '', p.value]));
    return { type: 'tool_call', agent, at: time.toISOString(), tool, callId, parameters };
  }

  private addUsage(agent: string, metadata: Metadata | undefined): void {
    const u = metadata?.usage;
    if (!u || (u.inputTokens === undefined && u.outputTokens === undefined)) return;
    const held = this.usage.get(agent) ?? { inputTokens: 0, outputTokens: 0 };
    this.usage.set(agent, { inputTokens: held.inputTokens + (u.inputTokens ?? 0), outputTokens: held.outputTokens + (u.outputTokens ?? 0) });
  }

  private withUsage<T extends TraceEvent>(event: T): T {
    const usage = this.takeUsage(event.agent);
    return usage ? { ...event, usage } : event;
  }
}

function durationOf(metadata: Metadata | undefined, start: Pending, time: Date): number {
  return metadata?.totalTimeMs ?? Math.max(0, time.getTime() - start.startMs);
}

/**
 * The action group answers in the text `renderResult` writes (runtime/tools/actionGroup): failures start with
 * "Error (", row results end with "(N rows)", a cut one with "… showing N of T rows", or read "No rows.". Anything
 * else counts as a text success.
 */
function toolResult(agent: string, call: Pending & { tool: string; callId: string }, text: string, durationMs: number): TraceEvent {
  const failed = text.startsWith('Error (');
  const page = /… showing (\d+) of (\d[\d,]*) rows/u.exec(text);
  const rows = page?.[1] ?? /\((\d+) rows?\)/u.exec(text)?.[1] ?? (text.trim() === 'No rows.' ? '0' : undefined);
  return {
    type: 'tool_result', agent, at: call.at, durationMs, tool: call.tool, callId: call.callId, ok: !failed,
    summary: text.slice(0, SUMMARY_CHARS), ...(rows !== undefined ? { rowCount: Number(rows) } : {}),
    ...(page ? { totalRows: Number(page[2]!.replaceAll(',', '')) } : {}),
    ...(failed ? { error: text.slice(0, SUMMARY_CHARS) } : {}),
  };
}
