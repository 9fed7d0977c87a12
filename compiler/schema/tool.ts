/** Schema of `specs/tools/<name>.yaml` (see SPEC_FORMAT.md, "Tool"). */
import { DEFAULTS } from '../defaults.ts';
import { integer, name, SCHEMA_DRAFT, schemaId, strings, text } from './common.ts';
import type { FromSchema } from './from-schema.ts';

const resolve = {
  description: 'How the offline engine fills this parameter from a question: exactly one of values, date, number, text, change, notify.',
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: ['values'],
      properties: {
        values: {
          type: 'string',
          pattern: '^[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*$',
          description: 'table.column (e.g. opportunities.opportunity_name)',
        },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['date'],
      properties: { date: { enum: ['start', 'end'] }, default: { type: 'string', minLength: 1 } },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['number'],
      properties: { number: { const: true }, default: { type: 'number' } },
    },
    { type: 'object', additionalProperties: false, required: ['text'], properties: { text: { const: true } } },
    {
      type: 'object', additionalProperties: false, required: ['change'],
      properties: { change: { type: 'string', minLength: 1, description: 'A write table: the field the question names and its new value, as JSON.' } },
    },
    {
      type: 'object', additionalProperties: false, required: ['notify'],
      properties: { notify: { enum: ['recipient', 'message'], description: 'Who a notification is for, or what it says.' } },
    },
  ],
} as const;

const parameter = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'description'],
  properties: {
    type: { enum: ['string', 'number', 'integer', 'boolean', 'array'], description: 'Bedrock parameter type.' },
    required: { type: 'boolean', default: false },
    description: text(1, 500, 'Bedrock parameter description: 1..500 characters.'),
    enum: strings,
    default: { type: ['string', 'number', 'boolean'] },
    resolve,
  },
} as const;

const writeTable = {
  type: 'object',
  additionalProperties: false,
  required: ['columns', 'key', 'operations'],
  properties: {
    columns: { ...strings, minItems: 1 },
    key: strings,
    operations: { type: 'array', minItems: 1, items: { enum: ['insert', 'update'] } },
    enums: {
      type: 'object',
      additionalProperties: { ...strings, minItems: 1 },
      description: 'column -> the only values it may be set to (a stage, a forecast category); checked before any approval is asked.',
    },
  },
} as const;

const requires = (kind: string, field: string) =>
  ({ if: { properties: { kind: { const: kind } }, required: ['kind'] }, then: { required: [field] } }) as const;

export const toolSchema = {
  $schema: SCHEMA_DRAFT,
  $id: schemaId('tool'),
  title: 'RevOps tool spec',
  type: 'object',
  additionalProperties: false,
  required: ['name', 'kind', 'description'],
  properties: {
    name,
    kind: { enum: ['sql', 'sql_query', 'sql_write', 'gong', 'web_search', 'webhook', 'knowledge', 'metrics'], description: 'metrics: answers from the metrics layer (specs/metrics); its parameters are generated from it.' },
    description: text(1, 1200, 'Bedrock function description: 1..1200 characters.'),
    task: text(1, 100, 'What the tool does for the user, a verb phrase in plain words ("read the call notes"); an answer that could not use it says "I couldn\'t <task>: <why>".'),
    group: { ...name, description: 'Bedrock action group (default by kind).' },
    effect: {
      enum: ['read', 'write', 'notify'],
      description: 'read, write (changes a system of record) or notify (sends something outside); default by kind.',
    },
    approval: {
      enum: ['required', 'none'],
      description: 'Whether a person approves a preview before each call; default required for write and notify.',
    },
    target_env: {
      type: 'string',
      pattern: '^[A-Z][A-Z0-9_]*$',
      description: 'kind webhook: environment variable holding the default destination (used when a call names no url).',
    },
    parameters: { type: 'object', propertyNames: name, additionalProperties: parameter },
    sql: { type: 'string', minLength: 1, description: 'Read-only statement with :name placeholders (kind sql).' },
    max_rows: { ...integer(1, 10_000, 'Row cap.'), default: DEFAULTS.tool.maxRows },
    timeout_ms: { ...integer(100, 300_000, 'Timeout in milliseconds.'), default: DEFAULTS.tool.timeoutMs },
    max_result_chars: { ...integer(1000, 200_000, 'Result budget handed to a model.'), default: DEFAULTS.tool.maxResultChars },
    retries: integer(0, 5, 'Retries (default: webhook 2, others 0).'),
    write: { type: 'object', minProperties: 1, additionalProperties: writeTable },
    allow: { ...strings, minItems: 1, description: 'URL patterns POSTs may go to.' },
    provider: {
      type: 'object',
      additionalProperties: false,
      required: ['name', 'url', 'api_key_env'],
      properties: { name: { type: 'string', minLength: 1 }, url: { type: 'string', minLength: 1 }, api_key_env: { type: 'string', minLength: 1 } },
    },
    gong: {
      type: 'object',
      additionalProperties: false,
      required: ['access_key_env', 'access_key_secret_env', 'base_url_env'],
      properties: {
        access_key_env: { type: 'string', minLength: 1 },
        access_key_secret_env: { type: 'string', minLength: 1 },
        base_url_env: { type: 'string', minLength: 1 },
      },
    },
  },
  allOf: [requires('sql', 'sql'), requires('sql_write', 'write'), requires('webhook', 'allow'), requires('web_search', 'provider')],
} as const;

export type ToolSpec = FromSchema<typeof toolSchema>;
export type ParameterSpec = FromSchema<typeof parameter>;
