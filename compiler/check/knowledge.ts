/**
 * Knowledge documents (`specs/knowledge/*.md`): the front matter's fields (title required; agents that exist and
 * can search knowledge; tags; metrics the document defines, each defined once), and every link in the body to a
 * tool, agent, metric or other document, reported at the link's target. Link syntax (SPEC_FORMAT.md, "Knowledge"):
 * `[text](tool:<name>)`, `[text](agent:<name>)`, `[text](metric:<name>)`, `[text](knowledge:<id>)`; any other
 * link is ordinary Markdown and not checked.
 */
import { catalog } from '../diagnostics/catalog.ts';
import { type Diagnostic, diagnostic, unknownName } from '../diagnostics/diagnostic.ts';
import type { KnowledgeFile } from '../load/knowledge.ts';
import { locate, type PathSegment } from '../load/locate.ts';
import type { Project } from '../project.ts';
import type { CheckContext } from './context.ts';

const FIELDS = ['title', 'agents', 'tags', 'metrics'];
const LINK = /\]\((tool|agent|metric|knowledge):([^)\s]*)\)/gu;
const LINK_WORDS = { tool: 'tool', agent: 'agent', metric: 'metric', knowledge: 'knowledge document' } as const;

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;

/** The metrics knowledge documents define (front matter `metrics`), first definition wins. */
export function definedMetrics(files: readonly KnowledgeFile[]): Map<string, string> {
  const metrics = new Map<string, string>();
  for (const f of files) for (const m of stringsOf(f.value.metrics)) if (!metrics.has(m)) metrics.set(m, f.path);
  return metrics;
}

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function checkStrings(file: KnowledgeFile, field: string, required: boolean, out: Diagnostic[]): string[] {
  const at = (path: PathSegment[]) => locate(file, path);
  const value = file.value[field];
  if (value === undefined) {
    if (required) out.push(diagnostic(catalog.missingField, locate(file, []), [field, ' in the front matter']));
    return [];
  }
  if (!Array.isArray(value)) {
    out.push(diagnostic(catalog.wrongType, at([field]), [field, 'a list of strings', describe(value)]));
    return [];
  }
  value.forEach((v, i) => {
    if (typeof v !== 'string' || !v.trim()) out.push(diagnostic(catalog.wrongType, at([field, i]), [`${field}[${i}]`, 'a non-empty string', describe(v)]));
  });
  return stringsOf(value);
}

function checkFrontMatter(file: KnowledgeFile, context: CheckContext, metricOwners: Map<string, string>, out: Diagnostic[]): void {
  for (const key of Object.keys(file.value)) {
    if (!FIELDS.includes(key)) out.push(unknownName(catalog.unknownField, locate(file, [key], { key: true }), key, FIELDS));
  }
  const title = file.value.title;
  if (title === undefined) out.push(diagnostic(catalog.missingField, locate(file, []), ['title', ' in the front matter']));
  else if (typeof title !== 'string' || !title.trim()) out.push(diagnostic(catalog.wrongType, locate(file, ['title']), ['title', 'a non-empty string', describe(title)]));
  checkStrings(file, 'agents', true, out).forEach((agent, i) => {
    const at = locate(file, ['agents', i]);
    if (!context.agentNames.has(agent)) out.push(unknownName(catalog.unknownCollaborator, at, agent, context.agentNames));
    const spec = context.agents.get(agent);
    if (spec && !(spec.value.tools ?? []).some((t) => context.tools.get(t)?.value.kind === 'knowledge')) {
      out.push(diagnostic(catalog.knowledgeWithoutTool, at, [agent]));
    }
  });
  checkStrings(file, 'tags', false, out);
  checkStrings(file, 'metrics', false, out).forEach((metric, i) => {
    const owner = metricOwners.get(metric);
    if (owner !== file.path || stringsOf(file.value.metrics).indexOf(metric) !== i) {
      out.push(diagnostic(catalog.duplicateMetric, locate(file, ['metrics', i]), [metric, owner ?? file.path]));
    }
  });
}

function checkLinks(file: KnowledgeFile, context: CheckContext, targets: Record<keyof typeof LINK_WORDS, ReadonlySet<string>>, out: Diagnostic[]): void {
  for (const match of file.body.matchAll(LINK)) {
    const kind = match[1] as keyof typeof LINK_WORDS;
    const name = match[2]!;
    if (targets[kind].has(name)) continue;
    const start = file.bodyStart + match.index + 2 + kind.length + 1;
    out.push(unknownName(catalog.brokenLink, { file: file.path, start, length: Math.max(1, name.length) }, name, targets[kind], [LINK_WORDS[kind]]));
  }
}

export function checkKnowledge(project: Project, context: CheckContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const metrics = definedMetrics(project.knowledge);
  const targets = {
    tool: context.toolNames, agent: context.agentNames, metric: new Set(metrics.keys()),
    knowledge: new Set(project.knowledge.map((f) => f.id)),
  };
  for (const file of project.knowledge) {
    checkFrontMatter(file, context, metrics, out);
    checkLinks(file, context, targets, out);
  }
  return out;
}
