/**
 * Scripted Converse model turns, typed by the SDK: a turn that calls tools, a turn that ends with text, and the
 * shipped specs over a sample warehouse seeded into the OS temp folder with a fixed clock (the real compiler,
 * the real toolbox).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContentBlock, ConverseCommandOutput, StopReason, ToolUseBlock } from '@aws-sdk/client-bedrock-runtime';
import { compileProject } from '../../../../compiler/index.ts';
import type { Manifest } from '../../../../compiler/manifest.ts';
import { createToolbox } from '../../../../runtime/tools/createToolbox.ts';
import type { Toolbox } from '../../../../runtime/tools/toolbox.ts';
import type { Warehouse } from '../../../../runtime/warehouse/warehouse.ts';
import { openDuckDbWarehouse } from '../../../../runtime/warehouse/duckdbWarehouse.ts';
import { seedSampleWarehouse } from '../../../../runtime/warehouse/sample/createSampleWarehouse.ts';

export const NOW = new Date('2025-11-14T09:00:00Z');

let calls = 0;
const turn = (content: ContentBlock[], stopReason: StopReason, inputTokens: number, outputTokens: number): ConverseCommandOutput => ({
  $metadata: {}, output: { message: { role: 'assistant', content } }, stopReason,
  usage: { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens }, metrics: { latencyMs: 100 },
});

/** The model calls one tool (or collaborator) with `input`. */
export function callsTool(name: string, input: NonNullable<ToolUseBlock['input']>, tokens: [number, number] = [100, 10]): ConverseCommandOutput {
  return turn([{ text: 'Let me check.' }, { toolUse: { toolUseId: `tu-${++calls}`, name, input } }], 'tool_use', ...tokens);
}

export function says(text: string, tokens: [number, number] = [100, 10], stopReason: StopReason = 'end_turn'): ConverseCommandOutput {
  return turn([{ text }], stopReason, ...tokens);
}

export interface ShippedProject {
  manifest: Manifest;
  toolbox: Toolbox;
  warehouse: Warehouse;
  close(): Promise<void>;
}

export async function shippedProject(): Promise<ShippedProject> {
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  const compiled = await compileProject(root);
  if (!compiled.manifest) throw new Error(`shipped specs do not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  const dir = await mkdtemp(join(tmpdir(), 'revops-converse-'));
  const path = join(dir, 'warehouse.duckdb');
  await seedSampleWarehouse({ out: path, scale: 500, now: NOW });
  const warehouse = await openDuckDbWarehouse(path);
  const toolbox = createToolbox(compiled.manifest.tools, { warehouse, env: {}, now: () => NOW, knowledge: compiled.manifest.knowledge });
  return {
    manifest: compiled.manifest, toolbox, warehouse,
    close: async () => {
      await warehouse.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
