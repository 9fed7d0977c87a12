/**
 * Running answer evaluation suites (build/evals.json) through an engine: each case in a fresh session (its `after`
 * questions first), its facts read from the warehouse with the run's clock, then judged (answerScore.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EvalCase, EvalSuite, Manifest } from '../../compiler/manifest.ts';
import { collect, type Engine, type InvokeResult } from '../engines/index.ts';
import type { Warehouse } from '../warehouse/warehouse.ts';
import { type AnswerSeen, type FactValues, judge, type scoreSuite } from './answerScore.ts';

export async function readEvalSuites(root: string): Promise<EvalSuite[]> {
  return JSON.parse(await readFile(join(root, 'build', 'evals.json'), 'utf8')) as EvalSuite[];
}

/** Tool kinds that change a system of record or send something out. */
const SIDE_EFFECT_KINDS = new Set(['sql_write', 'webhook']);

/** Whom the supervisor delegated to (its own route events' targets), else the supervisor itself. */
function agentsOf(result: InvokeResult, supervisor: string): string[] {
  const targets = result.events.flatMap((e) => (e.type === 'delegate' && e.agent === supervisor && e.output === undefined ? [e.target] : []));
  return targets.length ? [...new Set(targets)] : [result.agent || supervisor];
}

export function answerSeen(result: InvokeResult, manifest: Manifest, supervisor: string): AnswerSeen {
  const kinds = new Map(manifest.tools.map((t) => [t.name, t.kind]));
  const tools = result.events.flatMap((e) => (e.type === 'tool_call' ? [e.tool] : []));
  return {
    answer: result.status === 'done' ? result.answer : `${result.error?.code}: ${result.error?.message}`,
    agents: agentsOf(result, supervisor),
    ...(result.skill ? { skill: result.skill } : {}),
    tools,
    notDone: (result.notDone ?? []).map((p) => p.part),
    sideEffects: [...new Set(tools.filter((t) => SIDE_EFFECT_KINDS.has(kinds.get(t) ?? '')))],
  };
}

async function readFacts(c: EvalCase, warehouse: Warehouse, today: string): Promise<FactValues[]> {
  return Promise.all(c.facts.map(async (fact) => {
    try {
      const params: Record<string, string> = fact.sql.includes(':today') ? { today } : {};
      const result = await warehouse.query(fact.sql, { params, maxRows: 1000 });
      const first = result.columns[0]?.name;
      return { values: first === undefined ? [] : result.rows.map((r) => r[first]) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }));
}

export interface EvalRun {
  engine: Engine;
  manifest: Manifest;
  warehouse: Warehouse;
  now: () => Date;
}

export type Judged = Parameters<typeof scoreSuite>[1][number];

export async function judgeSuite(suite: EvalSuite, run: EvalRun, filter: (c: EvalCase) => boolean): Promise<Judged[]> {
  const judged: Judged[] = [];
  const today = run.now().toISOString().slice(0, 10);
  for (const [i, c] of suite.cases.entries()) {
    if (!filter(c)) continue;
    const sessionId = `eval-${suite.suite}-${i}`;
    for (const earlier of c.after) await collect(run.engine.invoke({ agent: suite.supervisor, text: earlier, sessionId }));
    const result = await collect(run.engine.invoke({ agent: suite.supervisor, text: c.ask, sessionId }));
    const seen = answerSeen(result, run.manifest, suite.supervisor);
    judged.push({ case: c, verdict: judge(c, seen, await readFacts(c, run.warehouse, today)), answer: seen.answer });
  }
  return judged;
}
