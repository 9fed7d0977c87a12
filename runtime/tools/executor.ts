/**
 * What one tool kind's executor receives: the tool's manifest entry, parameters already checked and converted by
 * `checkParameters`, and the context. It returns the successful part of a result; refusals and failures are thrown
 * as ToolFailure and turned into `ok: false` results by the toolbox, which also times every call.
 */
import type { ManifestTool } from '../../compiler/manifest.ts';
import type { CheckedParams } from './parameters.ts';
import type { ToolContext, ToolResult } from './toolbox.ts';
import type { SqlValue } from '../warehouse/warehouse.ts';

export type ExecutorOutput = Pick<ToolResult, 'columns' | 'rows' | 'text' | 'totals'> & {
  truncated?: boolean;
  /** Records that matched in all; the toolbox takes the row count when the rows are complete. */
  totalRows?: number;
};

/** What an approved call adds (runtime/approvals): its idempotency key, and the values the preview showed as current. */
export interface ApprovedCall {
  idempotencyKey: string;
  expected?: Record<string, SqlValue>;
}

export type KindExecutor = (
  tool: ManifestTool, params: CheckedParams, ctx: ToolContext, signal?: AbortSignal, approved?: ApprovedCall,
) => Promise<ExecutorOutput>;
