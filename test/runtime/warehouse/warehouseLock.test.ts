/** DuckDB's lock conflict as the one `locked` error (warehouseLock.ts), from the text DuckDB 1.x gives. */
import { describe, expect, it } from 'vitest';
import { lockConflict } from '../../../runtime/warehouse/warehouseLock.ts';

const duckdb = (path: string, holder: string) => new Error(`cannot open DuckDB warehouse '${path}': IO Error: Could not set lock on file "${path}": ` +
  `Conflicting lock is held in ${holder}. See also https://duckdb.org/docs/stable/connect/concurrency`);

describe('lockConflict', () => {
  const cwd = '/srv/revops';

  it('names the holder\'s PID and the path relative to the working folder', () => {
    const error = lockConflict(duckdb('/srv/revops/.revops/warehouse.duckdb', '/usr/bin/node (PID 4242)'),
      { path: '/srv/revops/.revops/warehouse.duckdb', cwd, variable: 'REVOPS_DATA_DIR' });
    expect(error?.code).toBe('locked');
    expect(error?.message).toBe('another revops process is using .revops/warehouse.duckdb (PID 4242); stop it or set REVOPS_DATA_DIR');
  });

  it('keeps a path outside the working folder as configured, and names the variable that set it', () => {
    const error = lockConflict(duckdb('/data/wh.duckdb', 'C:\\node.exe (PID 7)'), { path: '/data/wh.duckdb', cwd, variable: 'REVOPS_WAREHOUSE_PATH' });
    expect(error?.message).toBe('another revops process is using /data/wh.duckdb (PID 7); stop it or set REVOPS_WAREHOUSE_PATH');
  });

  it('leaves out the PID when DuckDB does not give one', () => {
    const error = lockConflict(duckdb('/srv/revops/w.duckdb', 'another process'), { path: '/srv/revops/w.duckdb', cwd, variable: 'REVOPS_DATA_DIR' });
    expect(error?.message).toBe('another revops process is using w.duckdb; stop it or set REVOPS_DATA_DIR');
  });

  it('is undefined for any other failure to open', () => {
    expect(lockConflict(new Error('IO Error: Cannot open file "x": No such file or directory'), { path: '/x', cwd, variable: 'REVOPS_DATA_DIR' })).toBeUndefined();
  });
});
