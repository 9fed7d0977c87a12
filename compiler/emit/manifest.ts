/** The whole manifest from a checked project: sorted, defaults applied, hashed. */
import { DEFAULTS } from '../defaults.ts';
import { type Manifest, MANIFEST_VERSION, type ManifestRoutes } from '../manifest.ts';
import { byName as specsByName, type Project } from '../project.ts';
import { emitAgent } from './agents.ts';
import { emitChannel } from './channels.ts';
import { emitMetricModel } from './metrics.ts';
import { collaboratorGuidance, compileInstruction } from './instruction.ts';
import { routingExamples } from './routing.ts';
import { byName, sha256, sortedRecord, toJson } from './serialize.ts';
import { emitKnowledge } from './knowledge.ts';
import { emitTool } from './tools.ts';

export function emitManifest(project: Project): Manifest {
  const metrics = project.metrics.map(emitMetricModel).sort(byName);
  const tools = project.tools.map((t) => emitTool(t, metrics)).sort(byName);
  const toolsByName = new Map(tools.map((t) => [t.name, t]));
  const examples = routingExamples(project);
  const agentSpecs = specsByName(project.agents);
  const agents = project.agents
    .map((spec) => {
      const compiled = compileInstruction(spec.value, collaboratorGuidance(spec.value, agentSpecs, examples));
      return emitAgent(spec, { tools: toolsByName, examples, compiledInstruction: compiled.text });
    })
    .sort(byName);
  const routes: ManifestRoutes[] = project.routes
    .map(({ value, file }) => ({
      supervisor: value.supervisor,
      threshold: value.threshold ?? DEFAULTS.routesThreshold,
      routes: sortedRecord(value.routes, (examples) => examples),
      source: file.path,
    }))
    .sort((a, b) => (a.supervisor < b.supervisor ? -1 : a.supervisor > b.supervisor ? 1 : 0));
  const channels = project.channels.map(emitChannel).sort(byName);
  const body = {
    defaults: {
      model: DEFAULTS.model,
      idleSessionTtlSeconds: DEFAULTS.idleSessionTtlSeconds,
      fiscalYearStartMonth: DEFAULTS.fiscalYearStartMonth,
    },
    agents,
    tools,
    routes,
    channels,
    knowledge: emitKnowledge(project.knowledge),
    metrics,
  };
  const hash = sha256(toJson({ version: MANIFEST_VERSION, ...body }));
  // Round-trip through JSON so the in-memory manifest equals what readers of build/manifest.json get
  // (no `undefined` members).
  return JSON.parse(toJson({ version: MANIFEST_VERSION, hash, ...body })) as Manifest;
}
