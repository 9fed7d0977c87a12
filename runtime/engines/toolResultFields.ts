/**
 * What a `tool_result` trace event records of a toolbox result, the same for every engine that calls the toolbox
 * in-process: the rows, how many records matched in all and their totals (so exports can ground "403 deals, $38.9M"
 * in what the tool said), and the tool's own error code and message (internal: traces and logs only).
 */
import type { ToolResult } from '../tools/toolbox.ts';
import type { ToolResultEvent } from './trace.ts';

export const toolResultFields = (result: ToolResult): Pick<ToolResultEvent, 'ok' | 'rowCount' | 'totalRows' | 'totals' | 'rows' | 'error'> => ({
  ok: result.ok,
  rowCount: result.stats.rowCount,
  ...(result.stats.totalRows !== undefined ? { totalRows: result.stats.totalRows } : {}),
  ...(result.totals && Object.keys(result.totals).length ? { totals: result.totals } : {}),
  ...(result.rows ? { rows: result.rows } : {}),
  ...(result.error ? { error: `${result.error.code}: ${result.error.message}` } : {}),
});
