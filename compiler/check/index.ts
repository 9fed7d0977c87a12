/**
 * The checks after the shape pass, in order: names and references, side-effect policy, the collaborator graph, routes, limits, then
 * SQL (and the warehouse schema), templates (and the step fields they read), evals, knowledge, the metrics layer (and the
 * warehouse schema), then usage warnings. Each family reports everything it finds; none stops the next, so one
 * broken reference does not hide the rest.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.ts';
import type { Project } from '../project.ts';
import { type CheckContext, checkContext } from './context.ts';
import { checkDuplicates } from './duplicates.ts';
import { checkEffects } from './effects.ts';
import { checkEvals } from './evals.ts';
import { checkGraph } from './graph.ts';
import { checkKnowledge } from './knowledge.ts';
import { checkLimits } from './limits.ts';
import { checkMetrics } from './metrics.ts';
import { checkMetricsWarehouse } from './metrics-warehouse.ts';
import { checkReferences } from './references.ts';
import { checkRoutes } from './routes.ts';
import { checkSql } from './sql.ts';
import { checkStepFields } from './step-fields.ts';
import { checkTemplates } from './templates.ts';
import { checkUsage } from './usage.ts';
import { checkWarehouse } from './warehouse.ts';
import type { LazySqlParser } from './sql-parser.ts';

export type Check = (project: Project, context: CheckContext) => Diagnostic[] | Promise<Diagnostic[]>;

const CHECKS: Check[] = [checkDuplicates, checkReferences, checkEffects, checkGraph, checkRoutes, checkLimits, checkSql, checkWarehouse, checkTemplates, checkStepFields, checkEvals, checkKnowledge, checkMetrics, checkMetricsWarehouse, checkUsage];

export async function runChecks(project: Project, sql?: LazySqlParser): Promise<Diagnostic[]> {
  const context = checkContext(project, sql);
  const diagnostics: Diagnostic[] = [];
  try {
    for (const check of CHECKS) diagnostics.push(...(await check(project, context)));
  } finally {
    await context.sql.close();
  }
  return diagnostics;
}
