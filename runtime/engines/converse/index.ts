/**
 * The Converse engine: the manifest's supervisor/collaborator graph run in-process over the Bedrock Converse API
 * with tool use, for any account with Bedrock model access (no Agents "Classic" needed). The entry agent gets its
 * compiled instruction plus the date context block as system prompt and one tool per collaborator; a
 * collaborator call is a nested loop with that agent's own tools, which the toolbox runs (runAgent.ts).
 * Each request has a step budget (model calls) and a time budget; running out of either, a model stopping
 * without an answer, or a Bedrock failure ends the stream with one `error` event naming what happened and what
 * was done so far. Transient failures (throttling, unavailable, a reset connection) are retried with backoff and
 * full jitter within the deadline, until a tool that changes something has run. The session's earlier turns come
 * from the conversation store (runtime/sessions), shared across processes, so follow-ups have context; a blank turn
 * is never stored or sent.
 *
 * Environment: REVOPS_MODEL (the model of every agent naming none; `agentModel`), REVOPS_CONVERSE_MAX_STEPS (default 12),
 * REVOPS_ENGINE_TIMEOUT_SECONDS (default 240), AWS_REGION.
 */
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { agentModel, MODEL_OVERRIDE_VARIABLE, type ManifestAgent } from '../../../compiler/manifest.ts';
import { describeBedrockError } from '../bedrockErrors.ts';
import { dateContextBlock } from '../dateContext.ts';
import { engineTimeoutMs, raceAbort, settingOrProblem, startDeadline } from '../deadline.ts';
import type { Engine, EngineDeps, InvokeRequest, ResumeRequest } from '../engine.ts';
import { DEFAULT_RETRY, retryTransient, type RetryPolicy } from '../retry.ts';
import type { TraceEvent } from '../trace.ts';
import { BudgetExceeded, StepBudget } from './budget.ts';
import { createMemorySessionBackend } from '../../sessions/memoryBackend.ts';
import { createSessionStore } from '../../sessions/sessionStore.ts';
import { historyMessages } from './history.ts';
import { ModelStopped, resumeAgent, runAgent, Suspended, type RunContext, type SuspendedFrame } from './runAgent.ts';
import { textResultBlock } from './toolResultBlock.ts';
import { acceptsToolResultStatus } from './toolResultStatus.ts';
import type { Message } from '@aws-sdk/client-bedrock-runtime';
import { toolSetFor, type ToolSet } from './toolSpecs.ts';

export interface ConverseEngineOptions {
  client?: BedrockRuntimeClient;
  retry?: Partial<RetryPolicy>;
  /** Model calls per request, over all agents; REVOPS_CONVERSE_MAX_STEPS or 12. */
  maxSteps?: number;
  /** Per-request time budget; REVOPS_ENGINE_TIMEOUT_SECONDS or 240 s. */
  timeoutMs?: number;
  /** Earlier turns handed to the model (default 10); the turns live in `sessions` (EngineDeps). */
  history?: { maxTurns?: number };
}

export const DEFAULT_MAX_STEPS = 12;

const ADVICE = {
  bedrock_access_denied: 'Enable access to the model in the Bedrock console for this region and let this role call bedrock:InvokeModel on it (for an inference profile: on the profile and on the foundation model in every region of the profile).',
  bedrock_not_found: 'Check the model id (REVOPS_MODEL, the agent\'s model or defaults.model) exists in AWS_REGION.',
  bedrock_invalid_request: 'Check the model id supports the Converse API with tool use (REVOPS_MODEL, the agent\'s model or defaults.model).',
};

function maxStepsFrom(env: Record<string, string | undefined>): number {
  const raw = env.REVOPS_CONVERSE_MAX_STEPS?.trim();
  if (!raw) return DEFAULT_MAX_STEPS;
  const steps = Number(raw);
  if (!Number.isInteger(steps) || steps < 1) throw new RangeError(`REVOPS_CONVERSE_MAX_STEPS must be a whole number from 1; got "${raw}"`);
  return steps;
}

export function createConverseEngine(deps: EngineDeps & ConverseEngineOptions): Engine {
  const { manifest, toolbox, env } = deps;
  const now = deps.now ?? (() => new Date());
  const region = env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim();
  // maxAttempts 1: the SDK's own retries would multiply with ours and hide the jittered schedule.
  const client = deps.client ?? new BedrockRuntimeClient({ maxAttempts: 1, ...(region ? { region } : {}) });
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...deps.retry };
  const settings = settingOrProblem(() => ({ maxSteps: deps.maxSteps ?? maxStepsFrom(env), timeoutMs: deps.timeoutMs ?? engineTimeoutMs(env) }));
  const modelOverride = env[MODEL_OVERRIDE_VARIABLE];
  const agents = new Map(manifest.agents.map((a) => [a.name, a]));
  const toolSets = new Map<string, ToolSet>();
  const sessions = deps.sessions ?? createSessionStore(createMemorySessionBackend(), { ttlSeconds: manifest.defaults.idleSessionTtlSeconds });

  /** One request's run: `body` is a fresh question or a resumption; both share budgets, errors and suspension. */
  async function* run(request: InvokeRequest, body: (ctx: RunContext, history: Message[]) => AsyncGenerator<TraceEvent, string>): AsyncGenerator<TraceEvent> {
    const startedAt = now().toISOString();
    const started = performance.now();
    const fail = (code: string, message: string): TraceEvent =>
      ({ type: 'error', agent: request.agent, at: startedAt, durationMs: Math.round(performance.now() - started), code, message });
    // An unusable setting answers each request rather than crashing the process that created the engine.
    if (typeof settings === 'string') {
      yield fail('invalid_config', settings);
      return;
    }
    const { maxSteps, timeoutMs } = settings;
    const entry = agents.get(request.agent);
    if (!entry) {
      yield fail('unknown_agent', `No agent named ${request.agent} in the manifest; use a channel's entry agent.`);
      return;
    }
    const deadline = startDeadline(timeoutMs, request.signal);
    const budget = new StepBudget(maxSteps);
    const history = historyMessages(await sessions.turns(request.sessionId), deps.history?.maxTurns);
    let wrote = false;
    const ctx: RunContext = {
      manifest, toolbox, budget, signal: deadline.signal, now, entry: entry.name, history,
      dateContext: dateContextBlock(now(), manifest.defaults.fiscalYearStartMonth),
      modelFor: (agent: ManifestAgent) => agentModel(manifest, agent, modelOverride),
      toolSetFor: (agent: ManifestAgent) => toolSets.get(agent.name) ?? toolSets.set(agent.name, toolSetFor(agent, manifest)).get(agent.name)!,
      // After a write, a failed model call is not resent: the request resumes through the approval flow's
      // idempotency key (pending actions), which knows what already ran; a blind resend could act twice.
      converse: (input) => retryTransient(
        () => raceAbort(client.send(new ConverseCommand(input), { abortSignal: deadline.signal }), deadline.signal),
        wrote ? { ...policy, attempts: 1 } : policy, { signal: deadline.signal, remainingMs: deadline.remainingMs }),
      sideEffectRan: () => { wrote = true; },
    };
    try {
      const answer = yield* body(ctx, history);
      if (!answer) {
        yield fail('empty_answer', `Stopped: the model for ${entry.name} ended its turn without any text, also when asked again. Done so far: ${budget.summary()}. Retry, or ask a narrower question.`);
        return;
      }
      await sessions.append(request.sessionId, { at: now().toISOString(), user: request.text, assistant: answer, agent: entry.name });
    } catch (error) {
      if (error instanceof Suspended) {
        // Nothing ran: the call and every agent's place in the conversation go with the pending action.
        yield { type: 'approval_needed', agent: entry.name, at: now().toISOString(), tool: error.tool, callId: error.frames.at(-1)?.waiting.toolUseId ?? '', parameters: error.parameters, resume: error.frames };
        yield { type: 'answer', agent: entry.name, at: startedAt, durationMs: Math.round(performance.now() - started), text: `${error.tool} needs a person's approval before it runs; nothing has been changed yet.` };
      } else if (deadline.signal.aborted) {
        const which = deadline.budgetSpent ? `the time budget of ${Math.round(timeoutMs / 1000)} s (REVOPS_ENGINE_TIMEOUT_SECONDS)` : 'the caller\'s time limit';
        yield fail('time_budget_exceeded', `Stopped: ${which} ran out after ${budget.steps} model calls. Done so far: ${budget.summary()}. Ask a narrower question or raise the limit.`);
      } else if (error instanceof BudgetExceeded) {
        yield fail('step_budget_exceeded', `Stopped: ${error.message}. Done so far: ${budget.summary()}. Ask a narrower question or raise the limit.`);
      } else if (error instanceof ModelStopped) {
        yield fail('model_stopped', `Stopped: ${error.message} before answering. Done so far: ${budget.summary()}. Retry, or ask a narrower question.`);
      } else {
        const { code, message } = describeBedrockError(error, ADVICE);
        yield fail(code, message);
      }
    } finally {
      deadline.dispose();
    }
  }

  const invoke = (request: InvokeRequest): AsyncGenerator<TraceEvent> => {
    const entry = agents.get(request.agent);
    return run(request, (ctx, history) => runAgent(entry!, request.text, ctx, history));
  };

  /** The approved call's real result (or the refusal) goes back to the model that asked for it, and the run goes on. */
  const resume = (request: ResumeRequest): AsyncGenerator<TraceEvent> => {
    const frames = request.state as SuspendedFrame[];
    const id = frames.at(-1)?.waiting.toolUseId ?? '';
    const waiting = agents.get(frames.at(-1)?.agent ?? '');
    const shape = { withStatus: waiting !== undefined && acceptsToolResultStatus(agentModel(manifest, waiting, modelOverride)) };
    const block = request.approved && request.result
      ? textResultBlock(id, request.result.text, shape, !request.result.ok)
      : textResultBlock(id, 'The person asked to approve this call declined it; nothing was done. Tell the user it was not done.', shape, true);
    return run({ agent: request.agent, text: request.text, sessionId: request.sessionId, ...(request.signal ? { signal: request.signal } : {}) },
      (ctx) => resumeAgent(frames, block, ctx));
  };

  return { name: 'converse', invoke, resume };
}
