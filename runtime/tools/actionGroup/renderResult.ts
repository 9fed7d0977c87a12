/**
 * A ToolResult as the text a model reads (the action-group response body, and the Converse engine's tool result):
 * the free text when the executor wrote one, else rows as a compact table — a column header line and one JSON
 * array per row, which keeps types and escaping without repeating every key. Output stays within a character budget; what is cut is said.
 */
import type { ToolResult } from '../toolbox.ts';

export function renderResult(result: ToolResult, maxChars: number): string {
  if (!result.ok) return fitText(`Error (${result.error?.code ?? 'execution'}): ${result.error?.message ?? 'the tool failed'}`, maxChars);
  // Executors set `text` when it says everything (web search lists its rows in it; writes and webhooks have no rows).
  if (result.text) return fitText(result.text, maxChars);
  return renderRows(result, maxChars);
}

function renderRows(result: ToolResult, budget: number): string {
  const rows = result.rows ?? [];
  const columns = result.columns ?? [];
  if (rows.length === 0) return 'No rows.';
  const header = `columns: ${columns.map((c) => c.name).join(' | ')}`;
  const capNote = result.stats.truncated ? `\n… row cap reached: more rows exist than the ${rows.length} returned; refine the query (filters, aggregates) to see the rest.` : '';
  const lines: string[] = [header];
  let used = header.length + capNote.length + 120; // room for the notes
  let shown = 0;
  for (const row of rows) {
    const line = JSON.stringify(columns.map((c) => row[c.name] ?? null));
    if (used + line.length + 1 > budget) break;
    lines.push(line);
    used += line.length + 1;
    shown += 1;
  }
  if (shown < rows.length) {
    lines.push(`… truncated: showing ${shown} of ${rows.length} rows; refine the query (filters, fewer columns, aggregates) to see the rest.`);
  } else {
    lines.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  }
  return lines.join('\n') + capNote;
}

function fitText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const note = `\n… truncated: showing the first ${maxChars - 120} of ${text.length} characters.`;
  return text.slice(0, maxChars - 120) + note;
}
