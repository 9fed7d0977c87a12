/** Schema of `specs/evals/<suite>.yaml`: questions and what a right answer must hold (see SPEC_FORMAT.md, "Evals"). */
import { DEFAULTS } from '../defaults.ts';
import { name, SCHEMA_DRAFT, schemaId, strings } from './common.ts';
import type { FromSchema } from './from-schema.ts';

/** The kinds of question a suite is reported by; the list names what a demanding user would try. */
export const EVAL_CASE_KINDS = [
  'plain', 'paraphrase', 'typo', 'terse', 'slang', 'dates', 'missing_record', 'multi_part', 'qualifiers',
  'out_of_scope', 'follow_up', 'metric', 'action',
] as const;

export const FACT_FORMATS = ['text', 'count', 'money', 'percent', 'date'] as const;

const threshold = (value: number, description: string) =>
  ({ type: 'number', minimum: 0, maximum: 1, default: value, description }) as const;

const fact = {
  type: 'object',
  additionalProperties: false,
  required: ['sql'],
  properties: {
    sql: {
      type: 'string',
      minLength: 1,
      description: 'A read-only query against the warehouse; the first column of every row it returns must appear in the answer, as formatted by `as`. Run at eval time, so it stays true as the sample data moves with the clock.',
    },
    as: { type: 'string', enum: FACT_FORMATS, default: 'text', description: 'How the value is written in an answer: text as is, count (1,234 or 1234), money ($2.1M or $2,100,000), percent (75%), date (Dec 31, 2026).' },
  },
} as const;

export const evalsSchema = {
  $schema: SCHEMA_DRAFT,
  $id: schemaId('eval'),
  title: 'RevOps answer evaluation cases',
  type: 'object',
  additionalProperties: false,
  required: ['suite', 'supervisor', 'cases'],
  properties: {
    suite: name,
    supervisor: name,
    thresholds: {
      type: 'object',
      additionalProperties: false,
      properties: {
        routing: threshold(DEFAULTS.evalThresholds.routing, 'Minimum share of cases routed to their collaborator.'),
        answers: threshold(DEFAULTS.evalThresholds.answers, 'Minimum share of cases whose answer holds every expectation.'),
      },
    },
    cases: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['ask', 'kind', 'agent'],
        properties: {
          ask: { type: 'string', minLength: 1, description: 'The question, as a user would type it.' },
          after: { ...strings, description: 'Earlier questions in the same session (a follow-up is asked after them).' },
          kind: { type: 'string', enum: EVAL_CASE_KINDS, description: 'What kind of question this is, for the per-kind report.' },
          agent: { ...name, description: 'The collaborator that must answer (the supervisor itself for questions outside what the agents do).' },
          skill: { ...name, description: 'The skill that must answer (offline engine).' },
          tools: { ...strings, description: 'Tools that must be called.' },
          says: { ...strings, description: 'Literal texts the answer must contain (case-insensitive).' },
          facts: { type: 'array', items: fact, description: 'Figures computed by SQL that the answer must state.' },
          never_says: { ...strings, description: 'Texts the answer must not contain (another record\'s name, a wrong figure).' },
          declares: { type: 'boolean', description: 'true: the answer must name a part of the question it did not do; false: it must name none.' },
          side_effects: { type: 'boolean', default: true, description: 'false: no tool that writes or notifies may be called.' },
        },
      },
    },
  },
} as const;

export type EvalsSpec = FromSchema<typeof evalsSchema>;
