import { describe, expect, it } from 'vitest';
import { withMatchedCount } from '../../../runtime/tools/sql/matchedTotals.ts';
import { type QueryOptions, type Warehouse, WarehouseError } from '../../../runtime/warehouse/warehouse.ts';

/** A warehouse that records the count query it is asked and answers with `answer`. */
function countingWarehouse(answer: () => Promise<number>): Warehouse & { asked: string[] } {
  const asked: string[] = [];
  return {
    dialect: 'duckdb',
    asked,
    query: async (sql: string, _options?: QueryOptions) => {
      asked.push(sql);
      return { columns: [{ name: 'n', type: 'BIGINT' }], rows: [{ n: await answer() }], stats: { rowCount: 1, truncated: false, durationMs: 1 } };
    },
    close: async () => undefined,
  };
}

const page = { columns: [{ name: 'id', type: 'VARCHAR' }], rows: [{ id: 'a' }, { id: 'b' }], truncated: true };

describe('withMatchedCount', () => {
  it('counts the statement without its trailing terminator and whatever follows it, and keeps a ; inside a string', async () => {
    const warehouse = countingWarehouse(async () => 2000);
    const result = await withMatchedCount(page, warehouse, "SELECT id FROM t WHERE note <> ';' ; /* a */ -- b\r", undefined, 1000);
    expect(result.totalRows).toBe(2000);
    expect(warehouse.asked).toEqual(["SELECT COUNT(*) AS n FROM (\nSELECT id FROM t WHERE note <> ';' \n) AS matched"]);
  });

  it('says why the matching records were not counted when the count fails', async () => {
    const warehouse = countingWarehouse(async () => { throw new WarehouseError('timeout', 'query cancelled after 1000 ms'); });
    const result = await withMatchedCount(page, warehouse, 'SELECT id FROM t', undefined, 1000);
    expect(result.totalRows).toBeUndefined();
    expect(result.uncounted).toBe('query cancelled after 1000 ms');
  });
});
