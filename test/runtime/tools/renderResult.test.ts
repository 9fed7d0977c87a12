import { describe, expect, it } from 'vitest';
import { renderResult } from '../../../runtime/tools/actionGroup/renderResult.ts';
import type { ToolResult } from '../../../runtime/tools/toolbox.ts';

const rowsResult = (count: number, truncated = false): ToolResult => ({
  ok: true,
  tool: 't',
  columns: [{ name: 'name', type: 'VARCHAR' }, { name: 'amount', type: 'BIGINT' }],
  rows: Array.from({ length: count }, (_, i) => ({ name: `deal "${i}"`, amount: i * 1000 })),
  stats: { durationMs: 1, rowCount: count, truncated },
});

describe('renderResult', () => {
  it('renders a header line and one JSON array per row', () => {
    expect(renderResult(rowsResult(2), 1_000)).toBe('columns: name | amount\n["deal \\"0\\"",0]\n["deal \\"1\\"",1000]\n(2 rows)');
  });

  it('keeps within the budget and says how many rows it shows', () => {
    const text = renderResult(rowsResult(200), 1_000);
    expect(text.length).toBeLessThanOrEqual(1_000);
    const shown = text.split('\n').filter((l) => l.startsWith('[')).length;
    expect(text).toContain(`… showing ${shown} of 200 rows (cut at the size budget)`);
  });

  it('says when the row cap cut the result and the total is unknown', () => {
    const text = renderResult(rowsResult(3, true), 1_000);
    expect(text.split('\n')[0]).toBe('More than 3 rows matched (the total is unknown).');
    expect(text).toContain('… showing 3 of more than 3 rows (cut at the tool\'s row limit)');
  });

  it('says why the total is unknown when counting the matching records failed', () => {
    const result = rowsResult(3, true);
    const text = renderResult({ ...result, stats: { ...result.stats, uncounted: 'query cancelled after 1000 ms' } }, 1_000);
    expect(text.split('\n')[0]).toBe('More than 3 rows matched (the total is unknown: counting them failed: query cancelled after 1000 ms).');
  });

  it('says how many rows matched in all, and the totals over all of them, when the rows are a page', () => {
    const page: ToolResult = { ...rowsResult(20), totals: { amount: 38_900_000 }, stats: { durationMs: 1, rowCount: 20, totalRows: 403, truncated: true } };
    const text = renderResult(page, 5_000);
    expect(text.split('\n')[0]).toBe('403 rows matched in all; totals over all 403: amount 38900000.');
    expect(text).toContain('… showing 20 of 403 rows (cut at the tool\'s row limit)');
  });

  it('says "No rows." for an empty result', () => {
    expect(renderResult(rowsResult(0), 1_000)).toBe('No rows.');
  });

  it('cuts long text with a note', () => {
    const text = renderResult({ ok: true, tool: 't', text: 'x'.repeat(5_000), stats: { durationMs: 1, rowCount: 0, truncated: false } }, 1_000);
    expect(text.length).toBeLessThanOrEqual(1_000);
    expect(text).toMatch(/… truncated: showing the first 880 of 5000 characters\.$/);
  });

  it('renders failures with their code', () => {
    expect(renderResult({ ok: false, tool: 't', error: { code: 'refused', message: 'No.' }, stats: { durationMs: 1, rowCount: 0, truncated: false } }, 1_000))
      .toBe('Error (refused): No.');
  });
});
