/** Manifest tools for tests: hand-built ones with the compiler's defaults, and the shipped specs compiled. */
import { fileURLToPath } from 'node:url';
import type { ManifestTool, ToolKind, ToolOfKind } from '../../../compiler/manifest.ts';
import { DEFAULT_EFFECT } from '../../../compiler/defaults.ts';
import { compileProject } from '../../../compiler/index.ts';
import type { ToolContext, Toolbox } from '../../../runtime/tools/toolbox.ts';
import type { Warehouse } from '../../../runtime/warehouse/warehouse.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The tool as the kind a test needs, failing the test when it is missing or of another kind. */
export function asKind<K extends ToolKind>(tool: ManifestTool | undefined, kind: K): ToolOfKind<K> {
  if (tool?.kind !== kind) throw new Error(`expected a ${kind} tool, got ${tool ? `${tool.name} (${tool.kind})` : 'none'}`);
  return tool as ToolOfKind<K>;
}

export function makeTool(fields: Partial<ManifestTool> & Pick<ManifestTool, 'name' | 'kind'>): ManifestTool {
  return {
    description: `${fields.name} (test tool)`,
    task: `use ${fields.name}`,
    group: 'test',
    parameters: [],
    maxRows: 200,
    timeoutMs: 30_000,
    maxResultChars: 20_000,
    retries: 0,
    source: 'test',
    effect: DEFAULT_EFFECT[fields.kind],
    approval: DEFAULT_EFFECT[fields.kind] === 'read' ? 'none' : 'required',
    ...fields,
  } as ManifestTool;
}

let shipped: Promise<ManifestTool[]> | undefined;

/** The tools of `specs/tools`, compiled once per test file. */
export function shippedTools(): Promise<ManifestTool[]> {
  shipped ??= compileProject(repoRoot).then((result) => {
    if (!result.manifest) throw new Error(`specs do not compile: ${result.diagnostics.map((d) => d.message).join('; ')}`);
    return result.manifest.tools;
  });
  return shipped;
}

export function testContext(warehouse: Warehouse, overrides: Partial<ToolContext> = {}): ToolContext {
  return { warehouse, env: {}, now: () => new Date(), ...overrides };
}

/**
 * A toolbox whose `run` is an approved call (`perform` with a fixed idempotency key): executor tests exercise write
 * and notify tools the way the approvals service runs them. `run` itself refuses them (toolbox.test.ts).
 */
export function approvedCalls(toolbox: Toolbox): Toolbox {
  return { ...toolbox, run: (name, params, signal) => toolbox.perform(name, params, { idempotencyKey: 'test-approved-call' }, signal) };
}
