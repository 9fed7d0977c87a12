/**
 * The CommonJS packages the compiler uses, loaded with `require`. An ES `import` of a CommonJS package makes Node lex
 * its entry (and what it re-exports) to learn the export names before loading it again as CommonJS: tens of
 * milliseconds of every `revops validate` per package (runtime/warehouse/duckdbDriver.ts does the same for the
 * runtime). Types still come from the packages (`import type`, erased at build).
 */
import { createRequire } from 'node:module';

const load = createRequire(import.meta.url);

export const requireLiquid = (): typeof import('liquidjs') => load('liquidjs') as typeof import('liquidjs');
export const requireAjv = (): typeof import('ajv') => load('ajv') as typeof import('ajv');
export const requireDuckDb = (): typeof import('@duckdb/node-api') => load('@duckdb/node-api') as typeof import('@duckdb/node-api');
