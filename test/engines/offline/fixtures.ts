/** Tiny hand-made manifests and an in-memory toolbox for unit tests of the offline engine. */
import type { Manifest, ManifestAgent, ManifestSkill, ManifestTool } from '../../../compiler/manifest.ts';
import type { Toolbox, ToolParams, ToolResult } from '../../../runtime/tools/toolbox.ts';
import type { QueryResult, Row, Warehouse } from '../../../runtime/warehouse/warehouse.ts';

export const agent = (name: string, over: Partial<ManifestAgent> = {}): ManifestAgent => ({
  name, role: 'collaborator', description: `${name} agent`, instruction: 'x'.repeat(40), compiledInstruction: 'x'.repeat(40),
  idleSessionTtlSeconds: 600, collaboration: 'DISABLED', collaborators: [], tools: [], actionGroups: [], skills: [],
  routingExamples: [], source: `specs/agents/${name}.yaml`, ...over,
});

export const tool = (name: string, over: Partial<ManifestTool> = {}): ManifestTool => ({
  name, kind: 'sql', description: name, task: `read the ${name}`, group: 'warehouse', effect: 'read', approval: 'none', parameters: [], sql: 'SELECT 1', maxRows: 200,
  timeoutMs: 1000, maxResultChars: 20000, retries: 0, source: `specs/tools/${name}.yaml`, ...over,
}) as ManifestTool;

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
    knowledge: { documents: [], hash: '' },
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
    perform(name, params) {
      return this.run(name, params);
    },
  };
}

/**
 * A warehouse that answers the entity index's queries: a column's distinct values (from `values`, keyed
 * `table.column`, in sort order) and which values of two columns share a row (from `records`, rows of one table
 * holding several names: `{table: [{column: value}]}`; their values count as the column's values too).
 */
export function valuesWarehouse(values: Record<string, string[]>, records: Record<string, Array<Record<string, string>>> = {}): Warehouse {
  const valuesOf = (table: string, column: string): string[] =>
    [...new Set([...(values[`${table}.${column}`] ?? []), ...(records[table] ?? []).flatMap((r) => (r[column] ? [r[column]!] : []))])].sort();
  const result = (rows: Row[]): QueryResult =>
    ({ columns: Object.keys(rows[0] ?? {}).map((name) => ({ name, type: 'VARCHAR' })), rows, stats: { rowCount: rows.length, truncated: false, durationMs: 0 } });
  return {
    dialect: 'duckdb',
    async query(sql): Promise<QueryResult> {
      const distinct = [...sql.matchAll(/SELECT DISTINCT (\w+) AS v FROM (\w+)/gu)].map((m) => ({ column: m[1]!, table: m[2]! }));
      if (distinct.length === 1) return result(valuesOf(distinct[0]!.table, distinct[0]!.column).map((v, id) => ({ v, id })));
      const [x, y] = distinct as [{ column: string; table: string }, { column: string; table: string }];
      const xs = valuesOf(x.table, x.column);
      const ys = valuesOf(y.table, y.column);
      const grouped = new Map<number, Set<number>>();
      for (const r of records[x.table] ?? []) {
        if (!r[x.column] || !r[y.column]) continue;
        const xi = xs.indexOf(r[x.column]!);
        grouped.set(xi, (grouped.get(xi) ?? new Set()).add(ys.indexOf(r[y.column]!)));
      }
      return result([...grouped].map(([xi, set]) => ({ x: xi, ys: [...set].join(',') })));
    },
    async close() {},
  };
}
