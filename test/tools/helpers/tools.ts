/** Manifest tools for tests: hand-built ones with the compiler's defaults, and the shipped specs compiled. */
import { fileURLToPath } from 'node:url';
import type { ManifestTool } from '../../../compiler/manifest.ts';
import { compileProject } from '../../../compiler/index.ts';
import type { ToolContext } from '../../../runtime/tools/toolbox.ts';
import type { Warehouse } from '../../../runtime/warehouse/warehouse.ts';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

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
    ...fields,
  };
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
