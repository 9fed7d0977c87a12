/** What every check family receives besides the project: lookups built once, and the lazily started SQL parser. */
import { routingExamples } from '../emit/routing.ts';
import { byName, type Project, type Spec } from '../project.ts';
import type { AgentSpec, ToolSpec } from '../schema/index.ts';
import { LazySqlParser } from './sql-parser.ts';

export interface CheckContext {
  agents: ReadonlyMap<string, Spec<AgentSpec>>;
  tools: ReadonlyMap<string, Spec<ToolSpec>>;
  /** Every agent name, including those of files that failed the shape pass. */
  agentNames: ReadonlySet<string>;
  toolNames: ReadonlySet<string>;
  examples: ReadonlyMap<string, readonly string[]>;
  sql: LazySqlParser;
}

export function checkContext(project: Project, sql = new LazySqlParser()): CheckContext {
  const agents = byName(project.agents);
  const tools = byName(project.tools);
  return {
    agents,
    tools,
    agentNames: new Set([...agents.keys(), ...project.halfWritten.agent]),
    toolNames: new Set([...tools.keys(), ...project.halfWritten.tool]),
    examples: routingExamples(project),
    sql,
  };
}
