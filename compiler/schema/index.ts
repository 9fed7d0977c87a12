/**
 * The spec schemas, one per kind, used three ways: ajv validation (here), TypeScript types (FromSchema in each schema file),
 * and editor autocomplete (published to compiler/schemas/<kind>.schema.json by publish.ts).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireAjv, requireAjvStandalone, requireAjvVersion } from '../commonjs.ts';
import type { SpecKind } from '../load/source.ts';
import { agentSchema } from './agent.ts';
import { channelSchema } from './channel.ts';
import { evalsSchema } from './evals.ts';
import { metricsSchema } from './metrics.ts';
import { routesSchema } from './routes.ts';
import { toolSchema } from './tool.ts';
import { warehouseSchema } from './warehouse.ts';

export type { AgentSpec, SkillSpec, StepSpec } from './agent.ts';
export type { ChannelSpec, SlackChannelSpec, WebhookChannelSpec } from './channel.ts';
export type { RoutesSpec } from './routes.ts';
export type { EvalsSpec } from './evals.ts';
export type { MetricsSpec } from './metrics.ts';
export type { ParameterSpec, ToolSpec } from './tool.ts';
export type { WarehouseSpec } from './warehouse.ts';
export { NAME_PATTERN } from './common.ts';

export const SCHEMAS = { agent: agentSchema, tool: toolSchema, routes: routesSchema, channel: channelSchema, eval: evalsSchema, warehouse: warehouseSchema, metrics: metricsSchema } as const satisfies Record<SpecKind, object>;

type Validators = Record<SpecKind, ValidateFunction>;
let validators: Validators | undefined;

// strictRequired off: `then: {required: [sql]}` names a property defined at the top level, not in `then`.
// verbose: errors carry their schema node (allowed keys for suggestions, both ends of a range for messages).
// The schemas are this module's own constants, checked against the meta-schema by a test (schemas.test.ts), so
// no `revops validate` spends ~50 ms checking them again or optimising code that validates a few files.
const AJV_OPTIONS = {
  allErrors: true, verbose: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true,
  validateSchema: false, code: { optimize: false, source: true },
} as const;

/**
 * Compiling the schemas is ~40 ms of every `revops validate`, so the validators ajv generates are kept as code
 * under dist/ (git-ignored, like the CLI's build), keyed by the schemas, the options and ajv's version: a changed
 * schema is a new file, and a file that cannot be written or read only means compiling again.
 */
const CACHE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'schema-validators');
const cacheFile = (dir: string): string => {
  const key = createHash('sha256').update(JSON.stringify([SCHEMAS, AJV_OPTIONS, requireAjvVersion()])).digest('hex').slice(0, 16);
  return join(dir, `validators-${key}.cjs`);
};

/** Compiles every kind's schema; with `dir`, also writes the generated code there for the next process. */
export function compileValidators(dir?: string): Validators {
  const { Ajv } = requireAjv();
  const ajv = new Ajv(AJV_OPTIONS);
  for (const [kind, schema] of Object.entries(SCHEMAS)) ajv.addSchema(schema, kind);
  const compiledKinds = Object.fromEntries(Object.keys(SCHEMAS).map((kind) => [kind, ajv.getSchema(kind)!])) as Validators;
  if (dir) {
    try {
      const file = cacheFile(dir);
      const code = requireAjvStandalone()(ajv, Object.fromEntries(Object.keys(SCHEMAS).map((kind) => [kind, kind])));
      mkdirSync(dir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, code);
      renameSync(temporary, file);
    } catch {
      // A read-only checkout compiles every time; nothing else depends on the file.
    }
  }
  return compiledKinds;
}

/** The validators kept in `dir` for these schemas, or undefined when there are none (or they do not load). */
export function cachedValidators(dir: string): Validators | undefined {
  const file = cacheFile(dir);
  try {
    return createRequire(file)(file) as Validators;
  } catch {
    return undefined;
  }
}

function compiled(): Validators {
  validators ??= cachedValidators(CACHE_DIR) ?? compileValidators(CACHE_DIR);
  return validators;
}

export function validateShape(kind: SpecKind, value: unknown): ErrorObject[] {
  const validate = compiled()[kind];
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
