/**
 * The Bedrock Agents engine: `InvokeAgent` on the deployed supervisor alias with trace enabled. The user's words
 * go in after the date context block; answer chunks are gathered into the final answer; trace parts become the
 * common trace events as they arrive (mapTrace.ts). Transient failures (throttling, unavailable, a reset
 * connection; as an error or inside the stream) are retried with backoff and full jitter within the deadline — but
 * not once the agent invoked an action group, which may have written: resending the same input could write again.
 * Every other failure, and the time limit, end the stream with one `error` event carrying a stable code and what
 * to do. Works on accounts that have Bedrock Agents ("Classic" closed to new
 * customers on 2026-07-30); elsewhere use the converse engine.
 *
 * Environment: REVOPS_AGENT_ID + REVOPS_AGENT_ALIAS_ID, or REVOPS_STACK_OUTPUTS (default build/stack-outputs.json);
 * AWS_REGION; REVOPS_ENGINE_TIMEOUT_SECONDS.
 */
import { BedrockAgentRuntimeClient, InvokeAgentCommand, type InvokeAgentCommandInput } from '@aws-sdk/client-bedrock-agent-runtime';
import { describeBedrockError } from '../bedrockErrors.ts';
import { withDateContext } from '../dateContext.ts';
import { engineTimeoutMs, settingOrProblem, startDeadline, untilAborted } from '../deadline.ts';
import type { Engine, EngineDeps, InvokeRequest, ResumeRequest } from '../engine.ts';
import { DEFAULT_RETRY, retryTransientStream, type RetryPolicy } from '../retry.ts';
import type { TraceEvent } from '../trace.ts';
import { AgentTargetError, agentTargets, type AgentTarget } from './agentTarget.ts';
import { readCompletion, type CompletionItem } from './completion.ts';
import { ACTION_ID_ATTRIBUTE } from '../../tools/actionGroup/approvedCall.ts';
import { TraceMapper } from './mapTrace.ts';
import { toBedrockSessionId } from './sessionId.ts';

export interface BedrockAgentsEngineOptions {
  client?: BedrockAgentRuntimeClient;
  retry?: Partial<RetryPolicy>;
  /** Where a relative REVOPS_STACK_OUTPUTS path is read from; the working directory by default. */
  cwd?: string;
  /** Per-request time budget; REVOPS_ENGINE_TIMEOUT_SECONDS or 240 s by default. */
  timeoutMs?: number;
}

const ADVICE = {
  bedrock_access_denied: 'Check that the alias id names a deployed alias of the supervisor and that the processor\'s role may call bedrock:InvokeAgent on it (the deploy grants it on the entry agent\'s alias ARN).',
  bedrock_not_found: 'Check REVOPS_AGENT_ID / REVOPS_AGENT_ALIAS_ID (or the stack outputs file) and AWS_REGION against the deployed stack.',
};

export function createBedrockAgentsEngine(deps: EngineDeps & BedrockAgentsEngineOptions): Engine {
  const { manifest, env } = deps;
  const now = deps.now ?? (() => new Date());
  const cwd = deps.cwd ?? process.cwd();
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  // maxAttempts 1: the SDK's own retries would multiply with ours and hide the jittered schedule.
  const client = deps.client ?? new BedrockAgentRuntimeClient({ maxAttempts: 1, ...(region ? { region } : {}) });
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...deps.retry };
  const timeout = settingOrProblem(() => deps.timeoutMs ?? engineTimeoutMs(env));

  /** One InvokeAgent exchange: a question (`inputText`) or the answer to a confirmation request (`sessionState`). */
  async function* exchange(request: InvokeRequest, input: Pick<InvokeAgentCommandInput, 'inputText' | 'sessionState'>): AsyncGenerator<TraceEvent> {
    const startedAt = now().toISOString();
    const started = performance.now();
    const since = (): number => Math.round(performance.now() - started);
    const fail = (code: string, message: string): TraceEvent => ({ type: 'error', agent: request.agent, at: startedAt, durationMs: since(), code, message });
    // Configuration problems answer each request (the CLI prints them, a channel apologises) instead of crashing
    // the process that created the engine; the outputs file is read per request so a redeploy needs no restart.
    if (typeof timeout === 'string') {
      yield fail('invalid_config', timeout);
      return;
    }
    const timeoutMs = timeout;
    let target: AgentTarget;
    try {
      target = agentTargets(env, cwd)(request.agent);
    } catch (error) {
      if (!(error instanceof AgentTargetError)) throw error;
      yield fail(error.code, error.message);
      return;
    }
    const deadline = startDeadline(timeoutMs, request.signal);
    let answer = '';
    let mapper = new TraceMapper(request.agent, now);
    let last: TraceEvent | undefined;
    let confirm: Extract<CompletionItem, { kind: 'confirm' }> | undefined;
    async function* attempt(): AsyncGenerator<TraceEvent> {
      answer = '';
      mapper = new TraceMapper(request.agent, now);
      const response = await client.send(new InvokeAgentCommand({
        agentId: target.agentId,
        agentAliasId: target.agentAliasId,
        sessionId: toBedrockSessionId(request.sessionId),
        ...input,
        enableTrace: true,
      }), { abortSignal: deadline.signal });
      for await (const item of readCompletion(untilAborted(response.completion ?? emptyStream(), deadline.signal))) {
        if (item.kind === 'text') answer += item.text;
        else if (item.kind === 'confirm') confirm = item;
        else for (const event of mapper.map(item.part)) yield event;
      }
    }
    try {
      // An attempt that reached an action group is not resent: it resumes through the approval flow's idempotency
      // key (pending actions), which knows whether the action ran; the agent's own session holds the rest.
      const scope = { signal: deadline.signal, remainingMs: deadline.remainingMs, ranSideEffect: (e: TraceEvent) => e.type === 'tool_call' };
      for await (const event of retryTransientStream(attempt, policy, scope)) {
        last = event;
        yield event;
      }
    } catch (error) {
      if (deadline.signal.aborted) {
        const limit = deadline.budgetSpent ? `the engine's time budget (${Math.round(timeoutMs / 1000)} s, REVOPS_ENGINE_TIMEOUT_SECONDS)` : 'the caller\'s time limit';
        yield fail('time_budget_exceeded', `The agent did not finish within ${limit}; ${last ? `the last step was a ${last.type} by ${last.agent}` : 'nothing had come back yet'}. Ask a narrower question or raise the limit.`);
      } else {
        const { code, message } = describeBedrockError(error, ADVICE);
        yield fail(code, message);
      }
      return;
    } finally {
      deadline.dispose();
    }
    if (confirm) {
      // The agent waits for a confirmation: the same pending action as every engine's, answered by resume.
      const { invocationId, actionGroup, function: fn, parameters } = confirm;
      yield { type: 'approval_needed', agent: request.agent, at: now().toISOString(), tool: fn, callId: invocationId, parameters, resume: { invocationId, actionGroup, function: fn } };
      yield { type: 'answer', agent: request.agent, at: startedAt, durationMs: since(), text: `${fn} needs a person's approval before it runs; nothing has been changed yet.` };
      return;
    }
    const text = answer || mapper.finalResponse || '';
    if (text.trim()) {
      const usage = mapper.takeUsage(request.agent);
      yield { type: 'answer', agent: request.agent, at: startedAt, durationMs: since(), text, ...(usage ? { usage } : {}) };
    } else if (!(last?.type === 'error' && last.agent === request.agent)) {
      yield fail('empty_answer', 'The agent ended without an answer; see the trace for the last step and retry, or check the agent\'s instruction.');
    }
  }

  const invoke = (request: InvokeRequest): AsyncGenerator<TraceEvent> =>
    exchange(request, { inputText: withDateContext(request.text, now(), manifest.defaults.fiscalYearStartMonth) });

  /**
   * The decision goes back as the confirmation of the function Bedrock asked about: CONFIRM (Bedrock then calls the
   * action-group Lambda, which finds this action performed and returns its recorded result: actionGroupHandler.ts)
   * or DENY. The action id rides in the session attributes the Lambda receives.
   */
  const resume = (request: ResumeRequest): AsyncGenerator<TraceEvent> => {
    const state = request.state as { invocationId: string; actionGroup: string; function: string };
    return exchange({ agent: request.agent, text: request.text, sessionId: request.sessionId, ...(request.signal ? { signal: request.signal } : {}) }, {
      sessionState: {
        invocationId: state.invocationId,
        sessionAttributes: { [ACTION_ID_ATTRIBUTE]: request.actionId },
        returnControlInvocationResults: [{
          functionResult: { actionGroup: state.actionGroup, function: state.function, confirmationState: request.approved ? 'CONFIRM' : 'DENY' },
        }],
      },
    });
  };

  return { name: 'bedrock-agents', invoke, resume };
}

async function* emptyStream(): AsyncGenerator<never> {}
