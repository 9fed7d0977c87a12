/**
 * The contract between agents and tools. One executor per tool kind; the toolbox picks the executor the tool's
 * manifest entry names. The offline and Converse engines call it in-process; the Bedrock action-group Lambda
 * handler wraps it.
 */
import type { BedrockAgentRuntimeClient } from '@aws-sdk/client-bedrock-agent-runtime';
import type { ManifestKnowledge, ManifestTool } from '../../compiler/manifest.ts';
import type { Row, QueryColumn, SqlValue, Warehouse } from '../warehouse/warehouse.ts';
import type { Resolver } from '../net/index.ts';

export type { ResolvedAddress } from '../net/index.ts';

export type ToolParams = Record<string, unknown>;

export interface ToolResult {
  ok: boolean;
  tool: string;
  /** Tabular tools (sql kinds, gong from the warehouse). */
  columns?: QueryColumn[];
  rows?: Row[];
  /** Free-text result (web search summary, webhook response, write confirmation). */
  text?: string;
  /** Set when ok is false: a stable code and a message a model or analyst can act on. */
  error?: { code: ToolErrorCode; message: string };
  /** Aggregates over every matching record, not only the rows returned (a sql tool's `matched_*` columns). */
  totals?: Record<string, SqlValue>;
  /**
   * `rowCount` rows came back; `totalRows` records matched in all (absent for text results, and when a cut result
   * cannot be counted); `truncated` when rows were cut, by the tool's LIMIT or its row cap; `uncounted` why a cut
   * result has no `totalRows` (the count query failed).
   */
  stats: { durationMs: number; rowCount: number; totalRows?: number; truncated: boolean; uncounted?: string };
}

export type ToolErrorCode =
  | 'unknown_tool'
  | 'invalid_parameter'
  | 'refused'
  | 'not_configured'
  | 'timeout'
  | 'too_large'
  | 'upstream'
  | 'execution'
  /** A write or notify tool called without an approved action (runtime/approvals): it waits for a person. */
  | 'approval_required';

export interface ToolContext {
  warehouse: Warehouse;
  /** Environment (credentials, provider keys); injected so tests never touch process.env. */
  env: Record<string, string | undefined>;
  now: () => Date;
  /**
   * Resolves a host name to all its addresses for the outbound guard's address check (runtime/net); node:dns
   * `lookup` when absent. Injected so tests can make a name resolve to a private address without a DNS server.
   */
  resolveHost?: Resolver;
  /** The manifest's knowledge documents, searched by `knowledge` tools when no knowledge base id is set. */
  knowledge?: ManifestKnowledge;
  /** The Retrieve client for REVOPS_KNOWLEDGE_BASE_ID (tests); one per process otherwise. */
  knowledgeClient?: BedrockAgentRuntimeClient;
}

export interface ToolExecutor {
  run(tool: ManifestTool, params: ToolParams, ctx: ToolContext, signal?: AbortSignal): Promise<ToolResult>;
}

/**
 * What an approved call adds (runtime/approvals): its idempotency key, the values the preview showed as current,
 * and where the preview said a notification goes.
 */
export interface ApprovedCall {
  idempotencyKey: string;
  expected?: Record<string, SqlValue>;
  /** The notification's destination when it was previewed: it goes there or nowhere, never to a newer one. */
  destination?: string;
}

export interface Toolbox {
  /**
   * Never throws for bad input or failed calls: those come back as `ok: false` results. A tool that needs approval
   * (manifest `needsApproval`) is refused with `approval_required`: it runs only through `perform`.
   */
  run(tool: string, params: ToolParams, signal?: AbortSignal): Promise<ToolResult>;
  /** Runs an approved call (the approvals service is the only caller), carrying its idempotency key. */
  perform(tool: string, params: ToolParams, approved: ApprovedCall, signal?: AbortSignal): Promise<ToolResult>;
  readonly tools: readonly ManifestTool[];
}
