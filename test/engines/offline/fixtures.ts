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
  name, kind: 'sql', description: name, group: 'warehouse', parameters: [], sql: 'SELECT 1', maxRows: 200,
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

/**
 * A warehouse that answers the entity index's `SELECT DISTINCT c1 AS v0, c2 AS v1 FROM table` from a map keyed
 * `table.column`; `records` lists rows of one table that hold several names together (`{table: [{column: value}]}`),
 * other values come back each on a row of its own.
 */
export function valuesWarehouse(values: Record<string, string[]>, records: Record<string, Array<Record<string, string>>> = {}): Warehouse {
  return {
    dialect: 'duckdb',
    async query(sql): Promise<QueryResult> {
      const m = /SELECT DISTINCT (.+?) FROM (\w+)/u.exec(sql);
      const columns = m ? [...m[1]!.matchAll(/(\w+) AS (v\d+)/gu)].map((c) => ({ column: c[1]!, alias: c[2]! })) : [];
      const table = m?.[2] ?? '';
      const row = (column: string, value: string | null) => Object.fromEntries(columns.map((c) => [c.alias, c.column === column ? value : null]));
      const rows = [
        ...(records[table] ?? []).map((r) => Object.fromEntries(columns.map((c) => [c.alias, r[c.column] ?? null]))),
        ...columns.flatMap((c) => (values[`${table}.${c.column}`] ?? []).map((v) => row(c.column, v))),
      ];
      return { columns: columns.map((c) => ({ name: c.alias, type: 'VARCHAR' })), rows, stats: { rowCount: rows.length, truncated: false, durationMs: 0 } };
    },
    async close() {},
  };
}
