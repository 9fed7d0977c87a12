/** Schema of `specs/routes/<supervisor>.yaml` (see SPEC_FORMAT.md, "Routes"). */
import { DEFAULTS } from '../defaults.ts';
import { name, SCHEMA_DRAFT, schemaId } from './common.ts';
import type { FromSchema } from './from-schema.ts';

export const routesSchema = {
  $schema: SCHEMA_DRAFT,
  $id: schemaId('routes'),
  title: 'RevOps routing examples',
  type: 'object',
  additionalProperties: false,
  required: ['supervisor', 'routes'],
  properties: {
    supervisor: name,
    threshold: {
      type: 'number',
      minimum: 0,
      maximum: 1,
      default: DEFAULTS.routesThreshold,
      description: 'Minimum leave-one-out routing accuracy revops eval accepts.',
    },
    routes: {
      type: 'object',
      description: 'Collaborator name -> example utterances (at least 8 each recommended).',
      propertyNames: name,
      additionalProperties: { type: 'array', items: { type: 'string', minLength: 1 } },
    },
  },
} as const;

export type RoutesSpec = FromSchema<typeof routesSchema>;
