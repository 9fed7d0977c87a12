/**
 * The offline engine: deterministic, no model, no credentials — the embedded default. A supervisor routes to the
 * nearest collaborator (router.ts); the collaborator picks its nearest skill and runs it (runSkill.ts); the answer
 * comes from the skill's template and the rows the tools returned, or says plainly why there is none (honest.ts).
 * Names in questions are matched against warehouse values loaded once at creation (entities.ts) — the reason this
 * engine takes the warehouse as well as the toolbox. Follow-ups reuse the session's last agent, skill, names and
 * dates (session.ts).
 */
import type { Manifest, ManifestAgent, ManifestSkill, ManifestTool } from '../../../compiler/manifest.ts';
import type { Toolbox } from '../../tools/toolbox.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { Engine, InvokeRequest } from '../engine.ts';
import type { TraceEvent } from '../trace.ts';
import { type EntityIndex, loadEntityIndex } from './entities.ts';
import { capabilities, noSkill } from './honest.ts';
import { NearestIndex } from './nearest.ts';
import { type Question, analyseQuestion, termsOf } from './question.ts';
import { type Router, collaboratorsOf, createRouter, type RoutingExample } from './router.ts';
import { createMetricReader, dimensionSource, type MetricReader } from './metricQuestion.ts';
import { type AgentRun, runSkill } from './runSkill.ts';
import { SessionMemory, type SessionTurn } from './session.ts';
import { createTemplateEngine } from './template.ts';
import { tokenize } from './text.ts';

export interface OfflineEngineDeps {
  manifest: Manifest;
  toolbox: Toolbox;
  /** Source of the entity names (`resolve.values`); without it names are not recognised in questions. */
  warehouse?: Warehouse;
  now?: () => Date;
  /** Sessions remembered for follow-ups (least recently used forgotten first). */
  sessionLimit?: number;
}

export interface OfflineEngine extends Engine {
  readonly name: 'offline';
  /** The question as the engine reads it (names, dates, numbers, masked terms). */
  analyse(text: string): Question;
  /** The supervisor's router; `leaveOut` builds it without one routing example (for `revops eval`). */
  router(supervisor: string, leaveOut?: RoutingExample): Router;
}

/** Skill score under which a skill does not fit (a follow-up then keeps the previous skill). */
const SKILL_MIN_SCORE = 0.08;
const FOLLOW_UP_CUE = /^(and|also|what about|how about|same)\b|\b(it|its|it's|they|them|their|those|that one|this one)\b/iu;

/**
 * Words the specs write in lower case somewhere ("deal", "risk", "negotiate"): ordinary words, never taken for a
 * name. Names in examples ("IXIS", "Hooli") are always capitalised, so they stay out.
 */
function specVocabulary(manifest: Manifest): Set<string> {
  const texts = [
    ...manifest.agents.flatMap((a) => [a.description, a.instruction, ...a.routingExamples, ...a.skills.flatMap((s) => [...s.examples, s.description ?? ''])]),
    ...manifest.routes.flatMap((r) => Object.values(r.routes).flat()),
    ...manifest.tools.map((t) => t.description),
  ];
  const lowercase = new Set<string>();
  for (const t of texts.flatMap((x) => tokenize(x))) if (t.raw === t.norm) lowercase.add(t.norm);
  return lowercase;
}

export async function createOfflineEngine(deps: OfflineEngineDeps): Promise<OfflineEngine> {
  const { manifest, toolbox } = deps;
  const clock = deps.now ?? (() => new Date());
  const fiscalStart = manifest.defaults.fiscalYearStartMonth;
  const agents = new Map(manifest.agents.map((a) => [a.name, a]));
  const tools = new Map<string, ManifestTool>(manifest.tools.map((t) => [t.name, t]));
  const vocabulary = specVocabulary(manifest);
  const sources = manifest.tools.flatMap((t) => t.parameters.flatMap((p) => (p.resolve && 'values' in p.resolve ? [p.resolve.values] : [])));
  const entities: EntityIndex | undefined = deps.warehouse ? await loadEntityIndex(deps.warehouse, sources, vocabulary) : undefined;
  // Dimension values (regions, segments, owners…) are matched only when a question is read as a metric query, so
  // they never turn an ordinary word of another question ("Pipeline", "Commit") into a name.
  const models = manifest.metrics ?? [];
  const dimensionSources = models.flatMap((m) => m.dimensions.filter((d) => d.type === 'string').map((d) => dimensionSource(m, d)));
  const metrics: MetricReader | undefined = models.length
    ? createMetricReader(models, deps.warehouse ? await loadEntityIndex(deps.warehouse, dimensionSources, vocabulary) : undefined)
    : undefined;
  const templates = createTemplateEngine(clock);
  // Parse every template now: a broken template is a startup error naming the skill, not a failed answer later.
  for (const a of manifest.agents) for (const s of a.skills) {
    try {
      templates.compile(s.answer);
      for (const step of s.steps) for (const expr of Object.values(step.with)) templates.compile(expr);
    } catch (cause) {
      throw new Error(`offline engine: agent ${a.name} skill ${s.name}: template does not parse: ${(cause as Error).message}`, { cause });
    }
  }
  const analyse = (text: string): Question =>
    analyseQuestion(text, { entities, now: clock(), fiscalStart, specWords: vocabulary });
  const masked = (text: string): string[] => analyse(text).terms;
  const routers = new Map<string, Router>();
  const router = (supervisor: string, leaveOut?: RoutingExample): Router => {
    const agent = agents.get(supervisor);
    if (!agent) throw new Error(`offline engine: no agent named ${supervisor}`);
    if (leaveOut) return createRouter(manifest, agent, masked, leaveOut);
    let r = routers.get(supervisor);
    if (!r) routers.set(supervisor, (r = createRouter(manifest, agent, masked)));
    return r;
  };
  const skillIndexes = new Map<string, NearestIndex>();
  const skillIndex = (agent: ManifestAgent): NearestIndex => {
    let index = skillIndexes.get(agent.name);
    if (!index) {
      index = new NearestIndex(agent.skills.flatMap((s) => [
        ...s.examples.map((e) => ({ label: s.name, terms: masked(e), kind: 'example' as const })),
        ...(s.description ? [{ label: s.name, terms: termsOf(s.description), kind: 'description' as const }] : []),
      ]));
      skillIndexes.set(agent.name, index);
    }
    return index;
  };
  const sessions = new SessionMemory(deps.sessionLimit);

  const chooseSkill = (agent: ManifestAgent, q: Question, previous: SessionTurn | undefined, followUp: boolean): ManifestSkill | undefined => {
    const [best] = skillIndex(agent).rank(q.terms);
    const keep = followUp && previous?.agent === agent.name ? agent.skills.find((s) => s.name === previous.skill) : undefined;
    if (best && best.score >= SKILL_MIN_SCORE) return agent.skills.find((s) => s.name === best.label);
    return keep;
  };

  async function* runAgent(agent: ManifestAgent, q: Question, previous: SessionTurn | undefined, followUp: boolean,
    at: () => string, signal?: AbortSignal): AsyncGenerator<TraceEvent, AgentRun> {
    const skill = chooseSkill(agent, q, previous, followUp);
    if (!skill) return { text: noSkill(agent), answered: false, entities: {} };
    return yield* runSkill(agent, skill, q, previous, { tools, toolbox, templates, now: clock(), fiscalStart, at, signal, metrics });
  }

  async function* invoke(request: InvokeRequest): AsyncGenerator<TraceEvent> {
    const base = clock().getTime();
    const t0 = performance.now();
    const at = (): string => new Date(base + (performance.now() - t0)).toISOString();
    const since = (): number => Math.round(performance.now() - t0);
    // Events with a duration carry their start time (trace.ts), so the entry agent's answer is stamped with this.
    const startedAt = at();
    const entry = agents.get(request.agent);
    if (!entry) {
      yield { type: 'error', agent: request.agent, at: at(), code: 'unknown_agent', message: `No agent named ${request.agent} in the manifest; use a channel's entry agent.` };
      return;
    }
    try {
      const q = analyse(request.text);
      const previous = sessions.get(request.sessionId);
      const followUp = previous !== undefined && FOLLOW_UP_CUE.test(request.text);
      if (entry.role === 'collaborator') {
        const run = yield* runAgent(entry, q, previous, followUp, at, request.signal);
        if (run.skill) sessions.set(request.sessionId, { agent: entry.name, skill: run.skill, entities: { ...previous?.entities, ...run.entities }, dates: run.dates ?? previous?.dates });
        yield { type: 'answer', agent: entry.name, at: startedAt, durationMs: since(), text: run.text, ...(run.skill ? { skill: run.skill } : {}), ...(run.gaps ? { gaps: run.gaps } : {}) };
        return;
      }
      const decision = router(entry.name).route(q.terms);
      const previousAgent = previous && collaboratorsOf(manifest, entry).some((c) => c.name === previous.agent) ? previous.agent : undefined;
      // A follow-up stays with the previous collaborator unless the question clearly belongs to another one.
      const previousScore = decision.ranked.find((r) => r.label === previousAgent)?.score ?? 0;
      const stay = followUp && previousAgent !== undefined && (!decision.target || previousScore >= decision.confidence * 0.5);
      const target = stay ? previousAgent : decision.target;
      const reason = stay ? 'follow-up: same collaborator as the previous turn' : target ? 'nearest routing examples' : 'no collaborator is close to the question';
      yield { type: 'route', agent: entry.name, at: at(), target: target ?? entry.name, confidence: Number(decision.confidence.toFixed(3)), reason };
      if (!target) {
        yield { type: 'answer', agent: entry.name, at: startedAt, durationMs: since(), text: capabilities(entry, collaboratorsOf(manifest, entry)) };
        return;
      }
      const collaborator = agents.get(target)!;
      const delegatedAt = at();
      const started = performance.now();
      yield { type: 'delegate', agent: entry.name, at: delegatedAt, target, input: request.text };
      const run = yield* runAgent(collaborator, q, previous, followUp, at, request.signal);
      yield { type: 'answer', agent: target, at: at(), text: run.text, ...(run.skill ? { skill: run.skill } : {}), ...(run.gaps ? { gaps: run.gaps } : {}) };
      yield { type: 'delegate', agent: entry.name, at: delegatedAt, durationMs: Math.round(performance.now() - started), target, input: request.text, output: run.text };
      if (run.skill) sessions.set(request.sessionId, { agent: target, skill: run.skill, entities: { ...previous?.entities, ...run.entities }, dates: run.dates ?? previous?.dates });
      yield { type: 'answer', agent: entry.name, at: startedAt, durationMs: since(), text: run.text, ...(run.skill ? { skill: run.skill } : {}), ...(run.gaps ? { gaps: run.gaps } : {}) };
    } catch (cause) {
      yield { type: 'error', agent: entry.name, at: startedAt, durationMs: since(), code: 'offline_failed', message: `The offline engine failed: ${(cause as Error).message}` };
    }
  }

  // Build every index now, so the first question does not pay for analysing all examples (and chrono's start-up).
  for (const a of manifest.agents) {
    if (a.role === 'supervisor') router(a.name);
    skillIndex(a);
  }
  return { name: 'offline', invoke, analyse, router };
}
