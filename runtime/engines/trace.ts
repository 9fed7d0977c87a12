/**
 * The trace model all three engines emit (offline, bedrock-agents, converse). Channels show progress from it,
 * exports and metrics are built from it; nothing downstream knows which engine produced it.
 */

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

interface TraceBase {
  /** The agent that emitted the event. */
  agent: string;
  /** ISO 8601 time the event happened (or, for events with a duration, started). */
  at: string;
  durationMs?: number;
  usage?: TokenUsage;
}

export interface RouteEvent extends TraceBase {
  type: 'route';
  /** The collaborator chosen, or the supervisor itself when it answers directly. */
  target: string;
  /** 0..1 where the engine has one (offline similarity, routing classifier). */
  confidence?: number;
  reason?: string;
}

export interface DelegateEvent extends TraceBase {
  type: 'delegate';
  target: string;
  input: string;
  /** The collaborator's output once it returned (set on the event emitted after the collaborator finished). */
  output?: string;
}

export interface ToolCallEvent extends TraceBase {
  type: 'tool_call';
  tool: string;
  callId: string;
  parameters: Record<string, unknown>;
}

export interface ToolResultEvent extends TraceBase {
  type: 'tool_result';
  tool: string;
  callId: string;
  ok: boolean;
  rowCount?: number;
  /** Records that matched in all, when more than `rowCount` may have (the rows were cut). */
  totalRows?: number;
  /** Aggregates over all matching records (the tool's `matched_*` columns), for grounding and exports. */
  totals?: Record<string, unknown>;
  /** Short text of the result (truncated) for traces and grounding; never credentials. */
  summary?: string;
  /** Rows as returned, for grounding and exports (bounded by the tool's row cap). */
  rows?: Array<Record<string, unknown>>;
  error?: string;
}

export interface AnswerEvent extends TraceBase {
  type: 'answer';
  text: string;
  /** The skill that answered (offline engine). */
  skill?: string;
  /** Parts of the question the answer says it did not do, and why (a partial answer names them). */
  notDone?: NotDone[];
  /** What could not be checked for this answer (failed steps): present means the answer is partial. */
  gaps?: AnswerGap[];
}

export interface NotDone {
  /** The part of the question, in the asker's words where possible. */
  part: string;
  reason: string;
}

/** One thing an answer could not check, in the words the answer uses; the tool's own error stays on its tool_result. */
export interface AnswerGap {
  tool: string;
  /** What the tool does for the user ("read the call notes"). */
  task: string;
  /** Why it could not, in plain words ("the calls service is not configured"). */
  reason: string;
}

export interface ErrorEvent extends TraceBase {
  type: 'error';
  code: string;
  message: string;
}

export type TraceEvent = RouteEvent | DelegateEvent | ToolCallEvent | ToolResultEvent | AnswerEvent | ErrorEvent;
export type TraceEventType = TraceEvent['type'];
