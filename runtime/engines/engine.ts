/**
 * One engine interface, three implementations: `offline` (embedded default, deterministic, no model),
 * `bedrock-agents` (InvokeAgent on the deployed supervisor alias) and `converse` (the same graph in-process over
 * the Bedrock Converse API).
 */
import type { EngineName } from '../../compiler/engines.ts';
import type { Manifest } from '../../compiler/manifest.ts';
import type { SessionStore } from '../sessions/sessionStore.ts';
import type { Toolbox } from '../tools/toolbox.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import type { TraceEvent } from './trace.ts';

/** The names are the engine table's (`compiler/engines.ts`), which infra and the CLI read too. */
export type { EngineName };

/** What every engine is built from (`createEngine.ts`); an engine's own options extend it. */
export interface EngineDeps {
  manifest: Manifest;
  toolbox: Toolbox;
  env: Record<string, string | undefined>;
  now?: () => Date;
  /** Offline only: where entity names (`resolve.values`) are read from. */
  warehouse?: Warehouse;
  /** Where offline and converse keep conversations (runtime/sessions); default: this process's memory. */
  sessions?: SessionStore;
}

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
