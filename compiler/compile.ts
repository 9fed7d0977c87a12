/** The compile pipeline: load YAML, shape pass (schemas), checks, and — only when nothing is wrong — emit. */
import { runChecks } from './check/index.ts';
import { LazySqlParser } from './check/sql-parser.ts';
import { catalog, type CatalogKey } from './diagnostics/catalog.ts';
import { compareDiagnostics, type Diagnostic, hasErrors } from './diagnostics/diagnostic.ts';
import { type BedrockAgentRequests, bedrockForManifest } from './emit/bedrock.ts';
import { emitEvals } from './emit/evals.ts';
import { emitManifest } from './emit/manifest.ts';
import { loadKnowledge } from './load/knowledge.ts';
import { loadSpecs } from './load/read.ts';
import { type SpecKind, specFileName } from './load/source.ts';
import type { EvalSuite, Manifest } from './manifest.ts';
import { addSpec, emptyProject, type Project } from './project.ts';
import { shapeDiagnostics } from './schema/errors.ts';
import { validateShape } from './schema/index.ts';

/**
 * What the checks conclude from there being no spec of a kind by some name (or none at all): while a folder of that
 * kind cannot be listed, its specs may be there, so these are not reported (its RV1011 says what to do).
 */
const FROM_ABSENCE: Record<SpecKind, readonly CatalogKey[]> = {
  agent: ['unknownCollaborator', 'unknownChannelEntry', 'unknownRoutesSupervisor', 'evalAgentUnreachable', 'unknownEvalSkill', 'orphanCollaborator', 'brokenLink', 'unusedTool'],
  tool: ['unknownTool', 'knowledgeWithoutTool', 'brokenLink'],
  routes: ['noRoutingExamples', 'fewRoutingExamples', 'supervisorWithoutRoutes'],
  metrics: ['unknownMeasure', 'unknownDimension', 'metricsToolWithoutMetrics'],
  warehouse: ['noWarehouseSchema'],
  channel: [],
  eval: [],
};

export interface CompileOptions {
  /** Warnings count as errors. */
  strict?: boolean;
}

export interface CompileResult {
  /** Present only when there are no errors. */
  manifest?: Manifest;
  bedrock?: Record<string, BedrockAgentRequests>;
  /** Present only when there are no errors; written to build/evals.json. */
  evals?: EvalSuite[];
  /** Sorted by file and position. */
  diagnostics: Diagnostic[];
  /** Text of every spec file read, by relative path: what renderers need to print line and column. */
  sources: ReadonlyMap<string, string>;
  fileCount: number;
  /** The checked specs (for `revops graph`); absent pieces were left out by their errors. */
  project: Project;
}

export async function compileProject(root: string, options: CompileOptions = {}): Promise<CompileResult> {
  const [loaded, knowledge] = await Promise.all([loadSpecs(root), loadKnowledge(root)]);
  for (const [path, text] of knowledge.sources) loaded.sources.set(path, text);
  const sql = new LazySqlParser();
  // DuckDB takes a while to start; let it start on its own threads while the shape pass runs.
  if (loaded.files.some((f) => f.kind === 'tool' && f.value.kind === 'sql')) sql.warm();
  const diagnostics = [...loaded.diagnostics, ...knowledge.diagnostics];
  const project = emptyProject();
  project.knowledge = knowledge.files;
  // A spec without a usable name is most likely named as its file is (RV6005 asks for that).
  for (const { kind, path } of loaded.unparsed) {
    if (kind === 'agent' || kind === 'tool') project.halfWritten[kind].add(specFileName(path));
    if (kind === 'agent') project.halfWritten.toolsUnknown = true;
  }
  for (const file of loaded.files) {
    const errors = validateShape(file.kind, file.value);
    if (!errors.length) {
      addSpec(project, file.kind, file);
      continue;
    }
    diagnostics.push(...shapeDiagnostics(file, errors));
    const name = file.value.name;
    if (file.kind === 'agent' || file.kind === 'tool') project.halfWritten[file.kind].add(typeof name === 'string' ? name : specFileName(file.path));
    const tools = file.kind === 'agent' ? file.value.tools : undefined;
    if (Array.isArray(tools)) tools.forEach((t) => project.halfWritten.usedTools.add(String(t)));
    else if (tools !== undefined) project.halfWritten.toolsUnknown = true;
  }
  const unknowable = new Set([...loaded.unlisted].flatMap((kind) => FROM_ABSENCE[kind].map((key) => catalog[key].code)));
  diagnostics.push(...(await runChecks(project, sql)).filter((d) => !unknowable.has(d.code)));
  const final = (options.strict ? diagnostics.map((d) => ({ ...d, category: 'error' as const })) : diagnostics)
    .sort(compareDiagnostics);
  const result: CompileResult = { diagnostics: final, sources: loaded.sources, fileCount: loaded.sources.size, project };
  if (!hasErrors(final)) {
    result.manifest = emitManifest(project);
    result.bedrock = bedrockForManifest(result.manifest);
    result.evals = emitEvals(project);
  }
  return result;
}
