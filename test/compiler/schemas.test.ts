/** The schemas, written once: published files match, and the derived types match what ajv accepts. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { compileProject } from '../../compiler/index.ts';
import { publishedSchemas, SCHEMAS_DIR } from '../../compiler/schemas/publish.ts';
import { projectNames } from '../../compiler/schemas/references.ts';
import { Ajv } from 'ajv';
import { type ChannelSpec, SCHEMAS, type ToolSpec, validateShape } from '../../compiler/schema/index.ts';

const shipped = projectNames((await compileProject(join(SCHEMAS_DIR, '..', '..'))).project);

describe('published JSON schemas', () => {
  it.each(Object.entries(publishedSchemas(shipped)))('%s is up to date with the schemas and the shipped specs\' names (run npx tsx compiler/schemas/publish.ts or revops compile)', async (file, text) => {
    expect(await readFile(join(SCHEMAS_DIR, file), 'utf8')).toBe(text);
  });
});

describe('the spec schemas', () => {
  // validate compiles them without checking them against the meta-schema (it would on every run): this does.
  it.each(Object.entries(SCHEMAS))('%s is a valid JSON Schema under strict mode', (_kind, schema) => {
    const ajv = new Ajv({ strict: true, strictRequired: false, allowUnionTypes: true, discriminator: true });
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
    expect(() => ajv.compile(schema)).not.toThrow();
  });
});

describe('types derived from the schemas', () => {
  it('type a tool the way ajv accepts it', () => {
    const tool: ToolSpec = {
      name: 'deal_lookup',
      kind: 'sql',
      description: 'Find a deal',
      parameters: { deal_name: { type: 'string', description: 'Name', resolve: { values: 'opportunities.opportunity_name' } } },
      sql: 'SELECT 1',
    };
    expect(validateShape('tool', tool)).toEqual([]);
    expectTypeOf<ToolSpec['kind']>().toEqualTypeOf<'sql' | 'sql_query' | 'sql_write' | 'gong' | 'web_search' | 'webhook' | 'knowledge' | 'metrics'>();
    expectTypeOf<ToolSpec>().toHaveProperty('name').toEqualTypeOf<string>();
  });

  it('type channels as a union told apart by kind', () => {
    expectTypeOf<Extract<ChannelSpec, { kind: 'slack' }>>().toHaveProperty('bot_name').toEqualTypeOf<string>();
    expectTypeOf<Extract<ChannelSpec, { kind: 'webhook' }>['auth']>().toEqualTypeOf<{ bearer: boolean; hmac: boolean } | 'none'>();
  });
});
