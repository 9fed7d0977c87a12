/**
 * One engine interface, three implementations: `offline` (embedded default, deterministic, no model),
 * `bedrock-agents` (InvokeAgent on the deployed supervisor alias) and `converse` (the same graph in-process over
 * the Bedrock Converse API).
 */
import type { TraceEvent } from './trace.ts';

export type EngineName = 'offline' | 'bedrock-agents' | 'converse';

export interface InvokeRequest {
  /** Entry agent, a supervisor (from the channel spec). */
  agent: string;
  text: string;
  /** Same id for follow-ups: a channel's session key (`processing/sessionKey.ts`), a CLI --session. */
  sessionId: string;
  signal?: AbortSignal;
}

/** Carrying on after a person decided on a pending action (runtime/approvals). */
export interface ResumeRequest {
  agent: string;
  /** The question that led to the action. */
  text: string;
  sessionId: string;
  /** The `resume` of the engine's approval_needed event. */
  state: unknown;
  approved: boolean;
  /** The action id: what the engine hands back to a platform that runs the tool itself (Bedrock's Lambda). */
  actionId: string;
  /** What the approved call returned (or why it failed); absent when denied. */
  result?: { ok: boolean; text: string };
  signal?: AbortSignal;
}

export interface Engine {
  readonly name: EngineName;
  /**
   * Continues a run that stopped at an approval_needed event. Engines without a model to tell (offline) leave it
   * out: the approved call's result is the answer.
   */
  resume?(request: ResumeRequest): AsyncIterable<TraceEvent>;
  /**
   * Streams trace events as they happen. The stream always ends with exactly one `answer` or one `error` event
   * from the entry agent; it does not throw for failures of agents or tools.
   */
  invoke(request: InvokeRequest): AsyncIterable<TraceEvent>;
}
