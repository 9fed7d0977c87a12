/**
 * What one tool kind's executor receives: the tool's manifest entry, parameters already checked and converted by
 * `checkParameters`, and the context. It returns the successful part of a result; refusals and failures are thrown
 * as ToolFailure and turned into `ok: false` results by the toolbox, which also times every call.
 */
import type { ToolKind, ToolOfKind } from '../../compiler/manifest.ts';
import type { CheckedParams } from './parameters.ts';
import type { ApprovedCall, ToolContext, ToolResult } from './toolbox.ts';

export type ExecutorOutput = Pick<ToolResult, 'columns' | 'rows' | 'text' | 'totals'> & {
  truncated?: boolean;
  /** Records that matched in all; the toolbox takes the row count when the rows are complete. */
  totalRows?: number;
  /** Why the records that matched could not be counted. */
  uncounted?: string;
};

/** The executor of tool kind `K`: it receives the fields of that kind (compiler/manifest.ts `ToolOfKind`). */
export type KindExecutor<K extends ToolKind = ToolKind> = (
  tool: ToolOfKind<K>, params: CheckedParams, ctx: ToolContext, signal?: AbortSignal, approved?: ApprovedCall,
) => Promise<ExecutorOutput>;
