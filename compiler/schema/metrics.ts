/** Schema of `specs/metrics/<model>.yaml`: measures and dimensions over one base table (see SPEC_FORMAT.md, "Metrics"). */
import { name, SCHEMA_DRAFT, schemaId, strings, text } from './common.ts';
import type { FromSchema } from './from-schema.ts';

/** How a measure's value is written in answers. */
export const MEASURE_FORMATS = ['money', 'count', 'percent', 'days', 'number'] as const;

const column = { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'A column of the base table, or of the join this dimension names.' } as const;
const condition = { type: 'string', minLength: 1, description: 'A SQL condition over the base table\'s columns (no parameters), e.g. is_closed = false.' } as const;

const measure = {
  type: 'object',
  additionalProperties: false,
  required: ['description', 'sql'],
  properties: {
    description: text(1, 300, 'What the measure means, in the words a sales leader uses.'),
    sql: { type: 'string', minLength: 1, description: 'An aggregate SQL expression over the base table\'s columns, e.g. SUM(amount * probability / 100).' },
    filters: { type: 'array', items: condition, description: 'Conditions every use of the measure applies (open pipeline: is_closed = false).' },
    format: { enum: MEASURE_FORMATS, default: 'number', description: 'How answers write the value.' },
    synonyms: { ...strings, description: 'Words a question may use for this measure ("pipe", "bookings").' },
  },
} as const;

const dimension = {
  type: 'object',
  additionalProperties: false,
  required: ['description', 'column'],
  properties: {
    description: text(1, 300, 'What the dimension groups or filters by.'),
    column,
    join: { ...name, description: 'The join (under joins) whose table holds the column; absent: the base table.' },
    type: { enum: ['string', 'number'], default: 'string', description: 'number: filtered by thresholds (amount > 500000) instead of values.' },
    synonyms: { ...strings, description: 'Words a question may use for this dimension ("rep" for owner).' },
  },
} as const;

const join = {
  type: 'object',
  additionalProperties: false,
  required: ['table', 'on'],
  properties: {
    table: column,
    on: { type: 'string', minLength: 1, description: 'Join condition; the joined table is named by the join\'s own name, the base table by its table name.' },
  },
} as const;

export const metricsSchema = {
  $schema: SCHEMA_DRAFT,
  $id: schemaId('metrics'),
  title: 'RevOps metrics: measures and dimensions over one table',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'table', 'time', 'measures'],
  properties: {
    name,
    description: text(1, 300, 'What the records of this table are.'),
    records: { type: 'string', minLength: 1, default: 'records', description: 'What answers call the records, plural ("deals").' },
    table: { ...column, description: 'The base table every measure aggregates.' },
    time: {
      type: 'object',
      additionalProperties: false,
      required: ['column', 'description'],
      properties: {
        column: { ...column, description: 'The date column periods filter on and time grains group by.' },
        description: text(1, 300, 'What the date means ("close date").'),
        snapshot: { type: 'boolean', default: false, description: 'Each period holds a snapshot (monthly seats): a query reads only the latest one in its period.' },
      },
    },
    joins: { type: 'object', propertyNames: name, additionalProperties: join },
    measures: { type: 'object', minProperties: 1, propertyNames: name, additionalProperties: measure },
    dimensions: { type: 'object', propertyNames: name, additionalProperties: dimension },
  },
} as const;

export type MetricsSpec = FromSchema<typeof metricsSchema>;
