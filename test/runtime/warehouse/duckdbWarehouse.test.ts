import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkReadOnly } from '../../../compiler/sql/readOnlyGuard.ts';
import { openDuckDbWarehouse } from '../../../runtime/warehouse/duckdbWarehouse.ts';
import { type Warehouse, WarehouseError } from '../../../runtime/warehouse/warehouse.ts';

let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await openDuckDbWarehouse(':memory:');
  await warehouse.query('CREATE TABLE deals (name VARCHAR, amount BIGINT, price DECIMAL(10, 2), closes DATE, seen TIMESTAMP, won BOOLEAN)');
  await warehouse.query(`INSERT INTO deals VALUES
    ('IXIS', 2100000, 12.50, DATE '2025-12-31', TIMESTAMP '2025-08-15 15:30:00', false),
    ('DataCorp', 800000, 3.25, DATE '2025-12-14', TIMESTAMP '2025-08-14 09:00:00', true),
    ('TechFlow', 600000, NULL, NULL, NULL, NULL)`);
});
afterAll(() => warehouse.close());

const failure = async (promise: Promise<unknown>): Promise<WarehouseError> => {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(WarehouseError);
  return error as WarehouseError;
};

describe('DuckDB warehouse', () => {
  it('binds :name parameters by value and converts rows to JSON-ready values', async () => {
    const result = await warehouse.query('SELECT * FROM deals WHERE name ILIKE :name AND amount >= :min', { params: { name: 'ix%', min: 1 } });
    expect(result.rows).toEqual([{ name: 'IXIS', amount: 2100000, price: 12.5, closes: '2025-12-31', seen: '2025-08-15T15:30:00.000Z', won: false }]);
    expect(result.columns).toEqual([
      { name: 'name', type: 'VARCHAR' }, { name: 'amount', type: 'BIGINT' }, { name: 'price', type: 'DECIMAL(10,2)' },
      { name: 'closes', type: 'DATE' }, { name: 'seen', type: 'TIMESTAMP' }, { name: 'won', type: 'BOOLEAN' },
    ]);
    expect(result.stats).toMatchObject({ rowCount: 1, truncated: false });
  });

  it('casts a string parameter to the type the statement expects (dates), and binds null and booleans', async () => {
    const result = await warehouse.query('SELECT name FROM deals WHERE closes BETWEEN :from AND :to AND won = :won OR price IS NOT DISTINCT FROM :p ORDER BY name',
      { params: { from: '2025-12-01', to: '2025-12-31', won: true, p: null } });
    expect(result.rows.map((r) => r.name)).toEqual(['DataCorp', 'TechFlow']);
  });

  it.each([
    "IXIS' OR '1'='1",
    "'; DROP TABLE deals; --",
    '%',
    ':name',
    '$1',
  ])('matches the injection string %j literally and leaves the statement alone', async (value) => {
    const result = await warehouse.query('SELECT count(*) AS n FROM deals WHERE name = :name', { params: { name: value } });
    expect(result.rows).toEqual([{ n: 0 }]);
    const echoed = await warehouse.query('SELECT :v AS v', { params: { v: value } });
    expect(echoed.rows).toEqual([{ v: value }]);
    expect((await warehouse.query('SELECT count(*) AS n FROM deals')).rows).toEqual([{ n: 3 }]);
  });

  it('names a missing parameter and a stray one', async () => {
    expect(await failure(warehouse.query('SELECT * FROM deals WHERE name = :name'))).toMatchObject({ code: 'parameter', message: expect.stringContaining(':name') });
    expect(await failure(warehouse.query('SELECT 1', { params: { name: 'x' } }))).toMatchObject({ code: 'parameter', message: expect.stringContaining("'name'") });
  });

  it('refuses positional or $name placeholders the caller cannot bind by name', async () => {
    expect((await failure(warehouse.query('SELECT * FROM deals WHERE name = ?'))).code).toBe('parameter');
    // `$name` is refused by the lexer before it reaches DuckDB, as the read-only guard refuses it.
    expect(await failure(warehouse.query('SELECT * FROM deals WHERE name = $name'))).toMatchObject({ code: 'syntax', message: expect.stringContaining("'$'") });
  });

  it('runs what the read-only guard accepted as the guard read it, with CURRENT_DATE pinned', async () => {
    const pinned = await openDuckDbWarehouse(':memory:', { today: '2025-08-16' });
    try {
      for (const sql of ["SELECT 1 AS a$$b$, 'q $b$ :x CURRENT_DATE' AS y", "SELECT 1 AS x --c\r, 'it''s\n:x CURRENT_DATE' AS y"]) {
        expect(checkReadOnly(sql)).toEqual({ ok: true });
        const { rows } = await pinned.query(sql);
        expect(rows[0]!['y']).toMatch(/:x CURRENT_DATE$/);
      }
      expect((await pinned.query('SELECT CURRENT_DATE AS d')).rows).toEqual([{ d: '2025-08-16' }]);
    } finally {
      await pinned.close();
    }
  });

  it('caps rows at maxRows and reports truncation', async () => {
    const capped = await warehouse.query('SELECT range AS n FROM range(10000) ORDER BY n', { maxRows: 3 });
    expect(capped.rows).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(capped.stats).toMatchObject({ rowCount: 3, truncated: true });
    const exact = await warehouse.query('SELECT range AS n FROM range(3)', { maxRows: 3 });
    expect(exact.stats).toMatchObject({ rowCount: 3, truncated: false });
  });

  it('cancels a query that runs past timeoutMs', async () => {
    const error = await failure(warehouse.query('SELECT count(*) FROM range(3000000000) a, range(1000) b WHERE a.range % 1000 = b.range', { timeoutMs: 100 }));
    expect(error.code).toBe('timeout');
    expect((await warehouse.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
  });

  it.each([
    ["SELECT * FROM read_csv('/etc/passwd')"],
    ["SELECT * FROM read_text('/etc/hostname')"],
    ["COPY deals TO '/tmp/revops-exfiltrated.csv'"],
    ["ATTACH '/tmp/revops-other.duckdb' AS other"],
    ['INSTALL httpfs'],
    ['SET enable_external_access = true'],
  ])('refuses %s (no file access, configuration locked)', async (sql) => {
    const error = await failure(warehouse.query(sql));
    expect(error.code).toMatch(/^(execution|syntax)$/);
    expect(error.message).toMatch(/disabled|locked|Permission|not allowed|Cannot/i);
  });

  it('ends a query that outgrows the memory limit with too_large, spills nothing to disk, and keeps the limit locked', async () => {
    const small = await openDuckDbWarehouse(':memory:', { memoryLimit: '64MB' });
    try {
      const error = await failure(small.query('SELECT list(i) FROM range(100000000) t(i)'));
      expect(error).toMatchObject({ code: 'too_large', message: expect.stringContaining("needs more than the warehouse's 64MB of memory") });
      const settings = await small.query("SELECT current_setting('memory_limit') AS memory, current_setting('max_temp_directory_size') AS spill");
      expect(settings.rows).toEqual([{ memory: '61.0 MiB', spill: '0 bytes' }]);
      expect((await failure(small.query("SET memory_limit = '10GB'"))).message).toMatch(/locked/i);
      expect((await small.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    } finally {
      await small.close();
    }
  });

  it('refuses a memory limit that is not a size', async () => {
    const error = await failure(openDuckDbWarehouse(':memory:', { memoryLimit: 'lots' }));
    expect(error).toMatchObject({ code: 'connection', message: "the warehouse memory limit must be a size such as 2GB or 512MB; got 'lots'" });
  });

  it('classifies syntax errors and runs one statement at a time', async () => {
    expect((await failure(warehouse.query('SELEC 1'))).code).toBe('syntax');
    expect((await failure(warehouse.query('SELECT 1; SELECT 2'))).code).toBe('syntax');
    expect((await failure(warehouse.query('SELECT nope FROM deals'))).code).toBe('syntax');
  });

  it('opens a file read-only so writes fail, and reports a closed warehouse', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'duckdb-ro-'));
    const path = join(dir, 'w.duckdb');
    const writer = await openDuckDbWarehouse(path);
    await writer.query('CREATE TABLE t AS SELECT 1 AS x');
    await writer.close();
    const reader = await openDuckDbWarehouse(path, { readOnly: true });
    expect((await reader.query('SELECT x FROM t')).rows).toEqual([{ x: 1 }]);
    expect((await failure(reader.query('INSERT INTO t VALUES (2)'))).message).toMatch(/read-only/i);
    await reader.close();
    expect((await failure(reader.query('SELECT 1'))).code).toBe('connection');
    await rm(dir, { recursive: true, force: true });
  });
});
