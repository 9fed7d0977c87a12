/**
 * The toolbox every engine calls: `createToolbox(manifest.tools, ctx).run(name, params)`. It finds the tool, checks
 * and converts the parameters by their declared types (Bedrock sends strings), runs the executor of the tool's
 * kind, and times the call. It never throws: unknown tools, bad parameters, refusals and failures come back as
 * `ok: false` results with a stable code and a message the caller (a model or an analyst) can act on.
 */
import { needsApproval, type ManifestTool } from '../../compiler/manifest.ts';
import type { KindExecutor } from './executor.ts';
import { executors } from './executors.ts';
import { checkParameters } from './parameters.ts';
import { suggestName } from './suggestName.ts';
import { failureResult, ToolFailure } from './toolFailure.ts';
import type { ApprovedCall, Toolbox, ToolContext, ToolParams, ToolResult } from './toolbox.ts';

export function createToolbox(tools: readonly ManifestTool[], ctx: ToolContext): Toolbox {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const call = async (name: string, params: ToolParams, signal: AbortSignal | undefined, approved: ApprovedCall | undefined): Promise<ToolResult> => {
    const started = performance.now();
    try {
      const tool = byName.get(name);
      if (!tool) throw unknownTool(name, [...byName.keys()]);
      if (!approved && needsApproval(tool)) {
        throw new ToolFailure('approval_required', `${name} ${tool.effect === 'write' ? 'changes records' : 'sends a notification'}; it runs only after a person approves a preview of the call.`);
      }
      // executors[tool.kind] is the executor of exactly this tool's kind; TypeScript cannot pair the two by itself.
      const execute = executors[tool.kind] as KindExecutor;
      const output = await execute(tool, checkParameters(tool, params ?? {}), ctx, signal, approved);
      const { truncated = false, totalRows, uncounted, ...rest } = output;
      const rowCount = output.rows?.length ?? 0;
      // Uncut rows are their own total; a cut result's total is what the executor counted, if anything.
      const total = totalRows ?? (output.rows && !truncated ? rowCount : undefined);
      const stats = { durationMs: performance.now() - started, rowCount, ...(total !== undefined ? { totalRows: total } : {}), truncated, ...(uncounted ? { uncounted } : {}) };
      return { ok: true, tool: name, ...rest, stats };
    } catch (error) {
      return failureResult(name, error, performance.now() - started);
    }
  };
  return {
    tools,
    run: (name, params, signal) => call(name, params, signal, undefined),
    perform: (name, params, approved, signal) => call(name, params, signal, approved),
  };
}

function unknownTool(name: string, known: string[]): ToolFailure {
  const suggestion = suggestName(name, known);
  const hint = suggestion ? ` Did you mean ${suggestion}?` : '';
  return new ToolFailure('unknown_tool', `No tool named ${name}.${hint} Available: ${known.join(', ') || 'none'}.`);
}
