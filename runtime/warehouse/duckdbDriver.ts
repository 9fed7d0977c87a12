/**
 * The DuckDB driver, loaded with `require` (compiler/commonjs.ts): @duckdb/node-api is CommonJS, and an ES `import`
 * of it makes Node lex its entry and every file it re-exports first, about 100 ms of every process that opens a
 * warehouse. Types come from the package itself (`import type`, erased at build).
 */
import { requireDuckDb } from '../../compiler/commonjs.ts';

type Driver = typeof import('@duckdb/node-api');
let driver: Driver | undefined;

/**
 * Loaded on first use, not at import: the Lambda bundles carry this module (the warehouse factory reaches it) but
 * no node_modules and no DuckDB (they read Firebolt), so a load at import would fail every chunk that holds it.
 */
export const duckDbDriver = (): Driver => (driver ??= requireDuckDb());
