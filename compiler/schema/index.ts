/**
 * The spec schemas, one per kind, used three ways: ajv validation (here), TypeScript types (FromSchema in each schema file),
 * and editor autocomplete (published to compiler/schemas/<kind>.schema.json by publish.ts).
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { requireAjv } from '../commonjs.ts';
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

let validators: Record<SpecKind, ValidateFunction> | undefined;

/** Compiled once per process: ajv compilation costs more than validating a file. */
function compiled(): Record<SpecKind, ValidateFunction> {
  if (!validators) {
    // strictRequired off: `then: {required: [sql]}` names a property defined at the top level, not in `then`.
    // verbose: errors carry their schema node (allowed keys for suggestions, both ends of a range for messages).
    // The schemas are this module's own constants, checked against the meta-schema by a test (schemas.test.ts), so
    // no `revops validate` spends ~50 ms checking them again or optimising code that validates a few files.
    const { Ajv } = requireAjv();
    const ajv = new Ajv({
      allErrors: true, verbose: true, discriminator: true, strict: true, strictRequired: false, allowUnionTypes: true,
      validateSchema: false, code: { optimize: false },
    });
    validators = Object.fromEntries(Object.entries(SCHEMAS).map(([kind, schema]) => [kind, ajv.compile(schema)])) as Record<SpecKind, ValidateFunction>;
  }
  return validators;
}

export function validateShape(kind: SpecKind, value: unknown): ErrorObject[] {
  const validate = compiled()[kind];
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
