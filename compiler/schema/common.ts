/** Schema pieces shared by the spec kinds. */

/** Bedrock's pattern for agent, action group, function, parameter, collaborator and alias names. */
export const NAME_PATTERN = '^([0-9a-zA-Z][_-]?){1,100}$';

export const name = {
  type: 'string',
  pattern: NAME_PATTERN,
  description: 'Letters and digits, each optionally followed by one _ or -, at most 100 (Bedrock name pattern).',
} as const;

export const text = <Min extends number, Max extends number>(min: Min, max: Max, description: string) =>
  ({ type: 'string', minLength: min, maxLength: max, description }) as const;

export const integer = <Min extends number, Max extends number>(minimum: Min, maximum: Max, description: string) =>
  ({ type: 'integer', minimum, maximum, description }) as const;

export const strings = { type: 'array', items: { type: 'string', minLength: 1 } } as const;

export const SCHEMA_DRAFT = 'http://json-schema.org/draft-07/schema#';

export const schemaId = (kind: string): string =>
  `https://github.com/revops-agent-platform/compiler/schemas/${kind}.schema.json`;
