/**
 * A toolbox result as a Converse `toolResult` block: rows as JSON when they fit the tool's `maxResultChars`
 * budget (with `totalRows` and `totals` over every matching record, so "showing 20 of 403" reaches the model), else the compact row text `renderResult` writes (which cuts to the budget and says so); free text as
 * text; failures as text with status `error`, so the model sees what went wrong and can correct its call.
 */
import type { ContentBlock } from '@aws-sdk/client-bedrock-runtime';
import { renderResult } from '../../tools/actionGroup/renderResult.ts';
import type { ToolResult } from '../../tools/toolbox.ts';

export function toolResultBlock(toolUseId: string, result: ToolResult, maxChars: number): ContentBlock {
  if (!result.ok) return { toolResult: { toolUseId, status: 'error', content: [{ text: renderResult(result, maxChars) }] } };
  const rows = result.rows;
  if (!result.text && rows) {
    const { rowCount, totalRows, truncated } = result.stats;
    const json = { rowCount, ...(totalRows !== undefined ? { totalRows } : {}), truncated, ...(result.totals ? { totals: result.totals } : {}), rows };
    if (JSON.stringify(json).length <= maxChars) return { toolResult: { toolUseId, status: 'success', content: [{ json }] } };
  }
  return { toolResult: { toolUseId, status: 'success', content: [{ text: renderResult(result, maxChars) }] } };
}

/** A text result (a collaborator's answer, or a refusal the engine itself decides). */
export const textResultBlock = (toolUseId: string, text: string, failed = false): ContentBlock =>
  ({ toolResult: { toolUseId, status: failed ? 'error' : 'success', content: [{ text }] } });
