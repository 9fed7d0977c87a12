/**
 * CommonJS packages loaded with `require`, for code that never runs in a Lambda bundle (a `require` through
 * createRequire is not bundled, and Lambda has no node_modules): ajv for `revops validate`, DuckDB where a local
 * warehouse opens (Lambda reads Firebolt; runtime/warehouse/duckdbDriver.ts). An ES `import` of a CommonJS package
 * makes Node lex its entry (and what it re-exports) to learn the export names before loading it again as CommonJS:
 * tens of milliseconds of every process per package. Types still come from the packages (`import type`).
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const requireAjv = (): typeof import('ajv') => load('ajv') as typeof import('ajv');
export const requireAjvStandalone = (): typeof import('ajv/dist/standalone/index.js').default =>
  (load('ajv/dist/standalone') as typeof import('ajv/dist/standalone/index.js')).default;
export const requireAjvVersion = (): string => (load('ajv/package.json') as { version: string }).version;
export const requireDuckDb = (): typeof import('@duckdb/node-api') => load('@duckdb/node-api') as typeof import('@duckdb/node-api');
