/**
 * Eval suites: the supervisor exists and is one, every case's agent is that supervisor or one of its collaborators,
 * its skill belongs to that agent, its tools exist, and every fact is one read-only query that parses. One suite
 * name per project; one case per question and history in a suite.
 */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import type { Project, Spec } from '../project.ts';
import type { EvalsSpec } from '../schema/index.ts';
import type { CheckContext } from './context.ts';
import { placeholdersOf } from './sql-parser.ts';

/** The one parameter a fact's SQL may use: the clock `revops eval` runs with (REVOPS_NOW pins it), as a DATE. */
export const FACT_PARAMETERS = ['today'];

async function checkSuite(spec: Spec<EvalsSpec>, context: CheckContext): Promise<Diagnostic[]> {
  const { value, at } = spec;
  const out: Diagnostic[] = [];
  const supervisor = context.agents.get(value.supervisor)?.value;
  if (!context.agentNames.has(value.supervisor)) {
    out.push(unknownName(catalog.unknownRoutesSupervisor, at(['supervisor']), value.supervisor, context.agentNames));
  } else if (supervisor && supervisor.role !== 'supervisor') {
    out.push(diagnostic(catalog.evalsNotSupervisor, at(['supervisor']), [value.supervisor]));
  }
  const reachable = supervisor ? [value.supervisor, ...(supervisor.collaborators ?? []).map((c) => c.agent)] : [];
  const seen = new Map<string, number>();
  for (const [i, c] of value.cases.entries()) {
    const path = ['cases', i] as const;
    const key = [...(c.after ?? []), c.ask].map((q) => q.trim().toLowerCase()).join('\n');
    if (seen.has(key)) out.push(diagnostic(catalog.duplicateEvalCase, at([...path, 'ask']), [seen.get(key)! + 1]));
    else seen.set(key, i);
    if (supervisor && !reachable.includes(c.agent)) {
      out.push(unknownName(catalog.evalAgentUnreachable, at([...path, 'agent']), c.agent, reachable, [value.supervisor]));
    }
    const agent = context.agents.get(c.agent)?.value;
    const skills = (agent?.skills ?? []).map((s) => s.name);
    if (c.skill && agent && !skills.includes(c.skill)) {
      out.push(unknownName(catalog.unknownEvalSkill, at([...path, 'skill']), c.skill, skills, [c.agent]));
    }
    (c.tools ?? []).forEach((tool, t) => {
      if (!context.toolNames.has(tool)) out.push(unknownName(catalog.unknownTool, at([...path, 'tools', t]), tool, context.toolNames));
    });
    for (const [f, fact] of (c.facts ?? []).entries()) {
      const parsed = await context.sql.parse(fact.sql);
      const where = at([...path, 'facts', f, 'sql']);
      for (const { name, start } of placeholdersOf(fact.sql)) {
        if (!FACT_PARAMETERS.includes(name)) {
          out.push(unknownName(catalog.unknownFactParameter, spec.inString([...path, 'facts', f, 'sql'], start, name.length + 1), name, FACT_PARAMETERS));
        }
      }
      if (parsed.ok && parsed.statements > 1) out.push(diagnostic(catalog.multipleStatements, where, [`${parsed.statements} statements`]));
      else if (!parsed.ok && parsed.notSelect) out.push(diagnostic(catalog.evalFactNotSelect, where));
      else if (!parsed.ok) out.push(diagnostic(catalog.sqlSyntax, where, [parsed.message.split('\n')[0]!]));
    }
  }
  return out;
}

export async function checkEvals(project: Project, context: CheckContext): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  const suites = new Set<string>();
  for (const spec of project.evals) {
    if (suites.has(spec.value.suite)) out.push(diagnostic(catalog.duplicateEvalSuite, spec.at(['suite']), [spec.value.suite]));
    suites.add(spec.value.suite);
    out.push(...(await checkSuite(spec, context)));
  }
  return out;
}
