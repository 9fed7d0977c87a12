/** Tool specs -> manifest tools, with every default applied (defaults.ts). */
import { DEFAULT_EFFECT, DEFAULT_GROUP, defaultRetries, defaultTask, DEFAULTS } from '../defaults.ts';
import type { ManifestMetricModel, ManifestParameter, ManifestTool } from '../manifest.ts';
import type { Spec } from '../project.ts';
import type { ToolSpec } from '../schema/index.ts';
import { metricParameters } from './metrics.ts';
import { sortedRecord } from './serialize.ts';

const parameters = (tool: ToolSpec): ManifestParameter[] =>
  Object.entries(tool.parameters ?? {}).map(([name, p]) => ({
    name,
    type: p.type,
    required: p.required ?? false,
    description: p.description,
    enum: p.enum,
    default: p.default,
    resolve: p.resolve,
  }));

/** `metrics`: the layer a tool of kind metrics answers from (its parameters are generated from it). */
export function emitTool({ value: t, file }: Spec<ToolSpec>, metrics: readonly ManifestMetricModel[] = []): ManifestTool {
  const write = t.write && {
    tables: sortedRecord(t.write, (table) => ({
      columns: table.columns, key: table.key, operations: table.operations, enums: sortedRecord(table.enums ?? {}, (values) => values),
    })),
  };
  const effect = t.effect ?? DEFAULT_EFFECT[t.kind];
  const gong = t.gong
    ? { accessKeyEnv: t.gong.access_key_env, accessKeySecretEnv: t.gong.access_key_secret_env, baseUrlEnv: t.gong.base_url_env }
    : t.kind === 'gong' ? { ...DEFAULTS.gong } : undefined;
  // The schema requires each kind's own fields (schema/tool.ts `requires`), so the object is its kind's ManifestTool.
  return {
    name: t.name,
    kind: t.kind,
    description: t.description,
    task: t.task ?? defaultTask(t.kind, t.name),
    group: t.group ?? DEFAULT_GROUP[t.kind],
    effect,
    approval: t.approval ?? (effect === 'read' ? 'none' : 'required'),
    parameters: t.kind === 'metrics' ? metricParameters(metrics) : parameters(t),
    sql: t.sql,
    maxRows: t.max_rows ?? DEFAULTS.tool.maxRows,
    timeoutMs: t.timeout_ms ?? DEFAULTS.tool.timeoutMs,
    maxResultChars: t.max_result_chars ?? DEFAULTS.tool.maxResultChars,
    write,
    allow: t.allow,
    targetEnv: t.target_env,
    provider: t.provider && { name: t.provider.name, url: t.provider.url, apiKeyEnv: t.provider.api_key_env },
    gong,
    ...(t.kind === 'metrics' ? { metrics: { models: [...metrics], fiscalYearStartMonth: DEFAULTS.fiscalYearStartMonth } } : {}),
    retries: t.retries ?? defaultRetries(t.kind),
    source: file.path,
  } as ManifestTool;
}
