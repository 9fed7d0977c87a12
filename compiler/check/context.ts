/** What every check family receives besides the project: lookups built once, and the lazily started SQL parser. */
import { routingExamples } from '../emit/routing.ts';
import { byName, type Project, type Spec } from '../project.ts';
import type { AgentSpec, ToolSpec } from '../schema/index.ts';
import { LazySqlParser } from './sql-parser.ts';

/** The warehouse's tables and columns, from the project's `specs/warehouse/*.yaml` (the first spec naming a table wins). */
export interface WarehouseSchema {
  tables: ReadonlyMap<string, { columns: ReadonlyMap<string, { type: string }> }>;
}

export interface CheckContext {
  agents: ReadonlyMap<string, Spec<AgentSpec>>;
  tools: ReadonlyMap<string, Spec<ToolSpec>>;
  /** Every agent name, including those of files that failed the shape pass. */
  agentNames: ReadonlySet<string>;
  toolNames: ReadonlySet<string>;
  examples: ReadonlyMap<string, readonly string[]>;
  sql: LazySqlParser;
  /** Absent when the project has no warehouse spec: the checks against it are then skipped. */
  schema?: WarehouseSchema;
}

function warehouseSchema(project: Project): WarehouseSchema | undefined {
  if (!project.warehouses.length) return undefined;
  const tables = new Map<string, { columns: ReadonlyMap<string, { type: string }> }>();
  for (const { value } of project.warehouses) {
    for (const [name, table] of Object.entries(value.tables)) {
      if (!tables.has(name)) tables.set(name, { columns: new Map(Object.entries(table.columns).map(([c, { type }]) => [c, { type }])) });
    }
  }
  return { tables };
}

export function checkContext(project: Project, sql = new LazySqlParser()): CheckContext {
  const agents = byName(project.agents);
  const tools = byName(project.tools);
  const schema = warehouseSchema(project);
  return {
    agents,
    tools,
    agentNames: new Set([...agents.keys(), ...project.halfWritten.agent]),
    toolNames: new Set([...tools.keys(), ...project.halfWritten.tool]),
    examples: routingExamples(project),
    sql,
    ...(schema ? { schema } : {}),
  };
}
