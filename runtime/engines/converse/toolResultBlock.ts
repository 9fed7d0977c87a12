/**
 * A toolbox result as a Converse `toolResult` block: rows as JSON when they fit the tool's `maxResultChars`
 * budget (with `totalRows` and `totals` over every matching record, so "showing 20 of 403" reaches the model),
 * else the compact row text `renderResult` writes (which cuts to the budget and says so); free text as text;
 * failures as text marked `error`, so the model sees what went wrong and can correct its call. The `status` field
 * goes only to models that accept it (toolResultStatus.ts), and text is never blank: Bedrock refuses a blank text
 * block ("The text field in the ContentBlock ... is blank").
 */
import type { ContentBlock, ToolResultContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { renderResult } from '../../tools/actionGroup/renderResult.ts';
import type { ToolResult } from '../../tools/toolbox.ts';

export interface ResultShape {
  /** Whether the model takes `toolResult.status`. */
  withStatus: boolean;
}

const EMPTY_OUTPUT = '(the tool returned no output)';

const nonBlank = (text: string, fallback: string): string => (text.trim() ? text : fallback);

const block = (toolUseId: string, content: ToolResultContentBlock[], failed: boolean, shape: ResultShape): ContentBlock =>
  ({ toolResult: { toolUseId, content, ...(shape.withStatus ? { status: failed ? 'error' : 'success' } : {}) } });

export function toolResultBlock(toolUseId: string, result: ToolResult, maxChars: number, shape: ResultShape): ContentBlock {
  if (!result.ok) return block(toolUseId, [{ text: nonBlank(renderResult(result, maxChars), 'Error: the tool failed.') }], true, shape);
  const rows = result.rows;
  if (!result.text && rows) {
    const { rowCount, totalRows, truncated } = result.stats;
    const json = { rowCount, ...(totalRows !== undefined ? { totalRows } : {}), truncated, ...(result.totals ? { totals: result.totals } : {}), rows };
    if (JSON.stringify(json).length <= maxChars) return block(toolUseId, [{ json }], false, shape);
  }
  return block(toolUseId, [{ text: nonBlank(renderResult(result, maxChars), EMPTY_OUTPUT) }], false, shape);
}

/** A text result (a collaborator's answer, or a refusal the engine itself decides); `fallback` stands in for blank text. */
export const textResultBlock = (toolUseId: string, text: string, shape: ResultShape, failed = false, fallback = EMPTY_OUTPUT): ContentBlock =>
  block(toolUseId, [{ text: nonBlank(text, fallback) }], failed, shape);
