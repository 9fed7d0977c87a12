/**
 * The contract between agents and tools. One executor per tool kind; the toolbox picks the executor the tool's
 * manifest entry names. The offline and Converse engines call it in-process; the Bedrock action-group Lambda
 * handler wraps it.
 */
import type { ManifestTool } from '../../compiler/manifest.ts';
import type { Row, QueryColumn, Warehouse } from '../warehouse/warehouse.ts';

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
  stats: { durationMs: number; rowCount: number; truncated: boolean };
}

export type ToolErrorCode =
  | 'unknown_tool'
  | 'invalid_parameter'
  | 'refused'
  | 'not_configured'
  | 'timeout'
  | 'too_large'
  | 'upstream'
  | 'execution';

export interface ToolContext {
  warehouse: Warehouse;
  /** Environment (credentials, provider keys); injected so tests never touch process.env. */
  env: Record<string, string | undefined>;
  fetch: typeof fetch;
  now: () => Date;
  /**
   * Resolves a host name to all its addresses, for the webhook executor's private-address check; node:dns `lookup`
   * when absent. Injected so tests can make a name resolve to a private address without a DNS server.
   */
  resolveHost?: (hostname: string) => Promise<ResolvedAddress[]>;
}

export interface ResolvedAddress {
  address: string;
  /** 4 or 6. */
  family: number;
}

export interface ToolExecutor {
  run(tool: ManifestTool, params: ToolParams, ctx: ToolContext, signal?: AbortSignal): Promise<ToolResult>;
}

export interface Toolbox {
  /** Never throws for bad input or failed calls: those come back as `ok: false` results. */
  run(tool: string, params: ToolParams, signal?: AbortSignal): Promise<ToolResult>;
  readonly tools: readonly ManifestTool[];
}
