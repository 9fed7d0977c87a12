/** Tiny hand-made manifests and an in-memory toolbox for unit tests of the offline engine. */
import type { Manifest, ManifestAgent, ManifestSkill, ManifestTool } from '../../../compiler/manifest.ts';
import type { Toolbox, ToolParams, ToolResult } from '../../../runtime/tools/toolbox.ts';
import type { QueryResult, Warehouse } from '../../../runtime/warehouse/warehouse.ts';

export const agent = (name: string, over: Partial<ManifestAgent> = {}): ManifestAgent => ({
  name, role: 'collaborator', description: `${name} agent`, instruction: 'x'.repeat(40), compiledInstruction: 'x'.repeat(40),
  idleSessionTtlSeconds: 600, collaboration: 'DISABLED', collaborators: [], tools: [], actionGroups: [], skills: [],
  routingExamples: [], source: `specs/agents/${name}.yaml`, ...over,
});

export const tool = (name: string, over: Partial<ManifestTool> = {}): ManifestTool => ({
  name, kind: 'sql', description: name, task: `read the ${name}`, group: 'warehouse', parameters: [], sql: 'SELECT 1', maxRows: 200,
  timeoutMs: 1000, maxResultChars: 20000, retries: 0, source: `specs/tools/${name}.yaml`, ...over,
});

export const skill = (name: string, over: Partial<ManifestSkill> = {}): ManifestSkill => ({
  name, examples: [], steps: [], answer: 'ok', ...over,
});

export function manifest(routes: Record<string, string[]>, collaborators: ManifestAgent[], tools: ManifestTool[] = []): Manifest {
  const supervisor = agent('boss', {
    role: 'supervisor', collaboration: 'SUPERVISOR', description: 'routes questions',
    collaborators: collaborators.map((c) => ({ agent: c.name, instruction: 'x', relayConversationHistory: 'TO_COLLABORATOR' })),
  });
  return {
    version: 1, hash: 'test', defaults: { model: 'm', idleSessionTtlSeconds: 600, fiscalYearStartMonth: 1 },
    agents: [supervisor, ...collaborators.map((c) => ({ ...c, routingExamples: routes[c.name] ?? [] }))],
    tools, routes: [{ supervisor: 'boss', threshold: 0.9, routes, source: 'specs/routes/boss.yaml' }], channels: [],
    metrics: [],
  };
}

/** Answers each tool from a function of its parameters; records every call. */
export function fakeToolbox(tools: ManifestTool[], answer: (tool: string, params: ToolParams) => Partial<ToolResult>): Toolbox & { calls: Array<{ tool: string; params: ToolParams }> } {
  const calls: Array<{ tool: string; params: ToolParams }> = [];
  return {
    tools, calls,
    async run(name, params) {
      calls.push({ tool: name, params });
      const r = answer(name, params);
      const rows = r.rows;
      return { ok: true, tool: name, ...r, stats: { durationMs: 1, rowCount: rows?.length ?? 0, truncated: false } };
    },
  };
}

/** A warehouse that answers `SELECT DISTINCT col FROM table` from a map keyed `table.column`. */
export function valuesWarehouse(values: Record<string, string[]>): Warehouse {
  return {
    dialect: 'duckdb',
    async query(sql): Promise<QueryResult> {
      const m = /SELECT DISTINCT (\w+) AS v FROM (\w+)/u.exec(sql);
      const list = m ? values[`${m[2]}.${m[1]}`] ?? [] : [];
      return { columns: [{ name: 'v', type: 'VARCHAR' }], rows: list.map((v) => ({ v })), stats: { rowCount: list.length, truncated: false, durationMs: 0 } };
    },
    async close() {},
  };
}
