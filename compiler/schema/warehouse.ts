/** Schema of `specs/warehouse/<name>.yaml`: the tables and columns the SQL tools run against (see SPEC_FORMAT.md, "Warehouse"). */
import { SCHEMA_DRAFT, schemaId } from './common.ts';
import type { FromSchema } from './from-schema.ts';

/** An unquoted SQL identifier, as the tools' SQL names tables and columns. */
const identifier = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$' } as const;

const column = {
  type: 'object',
  additionalProperties: false,
  required: ['type'],
  properties: {
    type: { type: 'string', minLength: 1, description: 'SQL type as DuckDB names it: VARCHAR, INTEGER, BIGINT, DOUBLE, DATE, TIMESTAMP, BOOLEAN, DECIMAL(18,2)…' },
    description: { type: 'string', minLength: 1 },
  },
} as const;

const table = {
  type: 'object',
  additionalProperties: false,
  required: ['columns'],
  properties: {
    description: { type: 'string', minLength: 1 },
    columns: { type: 'object', minProperties: 1, propertyNames: identifier, additionalProperties: column },
  },
} as const;

export const warehouseSchema = {
  $schema: SCHEMA_DRAFT,
  $id: schemaId('warehouse'),
  title: 'RevOps warehouse schema',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'tables'],
  properties: {
    name: { type: 'string', minLength: 1, description: 'The warehouse this schema describes.' },
    dialect: { enum: ['duckdb', 'firebolt'], description: 'The engine it was read from (`revops data schema`).' },
    tables: { type: 'object', minProperties: 1, propertyNames: identifier, additionalProperties: table },
  },
} as const;

export type WarehouseSpec = FromSchema<typeof warehouseSchema>;
