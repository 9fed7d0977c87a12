/**
 * A ToolResult as the text a model reads (the action-group response body, and the Converse engine's tool result):
 * the free text when the executor wrote one, else rows as a compact table — a line saying how many records matched
 * in all and what they add up to (so a model never reports the rows it was shown as the total), a column header
 * line and one JSON array per row, which keeps types and escaping without repeating every key. Output stays within
 * a character budget; what is cut is said.
 */
import type { ToolResult } from '../toolbox.ts';

export function renderResult(result: ToolResult, maxChars: number): string {
  if (!result.ok) return fitText(`Error (${result.error?.code ?? 'execution'}): ${result.error?.message ?? 'the tool failed'}`, maxChars);
  // Executors set `text` when it says everything (web search lists its rows in it; writes and webhooks have no rows).
  if (result.text) return fitText(result.text, maxChars);
  return renderRows(result, maxChars);
}

const count = (n: number, word = 'row'): string => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** "403 rows matched in all; totals over all 403: amount 38912000." — only when the rows shown are not the whole story. */
function matchedLine(result: ToolResult): string | undefined {
  const { totalRows, truncated, rowCount, uncounted } = result.stats;
  const totals = Object.entries(result.totals ?? {}).map(([name, value]) => `${name} ${JSON.stringify(value)}`);
  if (!truncated && totals.length === 0) return undefined;
  const matched = totalRows !== undefined ? `${count(totalRows)} matched in all` : `More than ${count(rowCount)} matched (the total is unknown${uncounted ? `: counting them failed: ${uncounted}` : ''})`;
  const over = totalRows !== undefined ? `all ${totalRows.toLocaleString('en-US')}` : 'all of them';
  return `${matched}${totals.length ? `; totals over ${over}: ${totals.join(', ')}` : ''}.`;
}

function renderRows(result: ToolResult, budget: number): string {
  const rows = result.rows ?? [];
  const columns = result.columns ?? [];
  if (rows.length === 0) return 'No rows.';
  const matched = matchedLine(result);
  const header = `columns: ${columns.map((c) => c.name).join(' | ')}`;
  const lines: string[] = matched ? [matched, header] : [header];
  let used = (matched?.length ?? 0) + header.length + 200; // room for the closing note
  let shown = 0;
  for (const row of rows) {
    const line = JSON.stringify(columns.map((c) => row[c.name] ?? null));
    if (used + line.length + 1 > budget) break;
    lines.push(line);
    used += line.length + 1;
    shown += 1;
  }
  const { totalRows, truncated } = result.stats;
  if (shown === rows.length && !truncated) {
    lines.push(`(${count(rows.length)})`);
  } else {
    const total = totalRows ?? (truncated ? undefined : rows.length);
    const of = total !== undefined ? count(total) : `more than ${count(rows.length)}`;
    const cut = shown < rows.length ? 'the size budget' : "the tool's row limit";
    lines.push(`… showing ${shown} of ${of} (cut at ${cut}); state counts and sums over all matching rows, not over the rows shown; refine the query (filters, aggregates) to see the rest.`);
  }
  return lines.join('\n');
}

function fitText(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const note = `\n… truncated: showing the first ${maxChars - 120} of ${text.length} characters.`;
  return text.slice(0, maxChars - 120) + note;
}
