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

export interface Engine {
  readonly name: EngineName;
  /**
   * Streams trace events as they happen. The stream always ends with exactly one `answer` or one `error` event
   * from the entry agent; it does not throw for failures of agents or tools.
   */
  invoke(request: InvokeRequest): AsyncIterable<TraceEvent>;
}
