/**
 * The offline engine: deterministic, no model, no credentials — the embedded default. A supervisor routes to the
 * nearest collaborator (router.ts); the collaborator picks its nearest skill and runs it (runSkill.ts); the answer
 * comes from the skill's template and the rows the tools returned, or says plainly why there is none (honest.ts).
 * Names in questions are matched against warehouse values loaded once (entities.ts, cached beside the warehouse by
 * nameCache.ts) — the reason this engine takes the warehouse as well as the toolbox; with `namesOnFirstQuestion`
 * the first question loads them (and builds the routing indexes over them) rather than creation. Follow-ups reuse the session's last agent, skill, names and
 * dates, kept in the conversation store (runtime/sessions). Before routing, an off-topic question is turned away (scope.ts) and a message is cut into its
 * requests (requests.ts), each answered in turn; a known name on its own goes to its record's status. After a skill
 * ran, every qualifier no tool took and every name it did not look up is named in the answer and in `notDone`
 * (qualifiers.ts).
 */
import type { Manifest, ManifestAgent, ManifestSkill, ManifestTool } from '../../../compiler/manifest.ts';
import type { Toolbox } from '../../tools/toolbox.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import type { Engine, InvokeRequest } from '../engine.ts';
import type { AnswerGap, TraceEvent } from '../trace.ts';
import { type EntityIndex, indexEntityNames } from './entities.ts';
import { knowledgeIndex } from '../../knowledge/knowledgeIndex.ts';
import { definitionAnswer, isDefinitionQuestion, knowledgeToolOf } from './definitions.ts';
import { capabilities, noSkill } from './honest.ts';
import { nameColumns } from './nameColumns.ts';
import { cachedEntityNames } from './nameCache.ts';
import { NearestIndex } from './nearest.ts';
import { type Question, analyseQuestion, termsOf } from './question.ts';
import { collaboratorsOf, createRouter, ROUTE_MIN_SCORE, type RouteDecision, type Router, type RoutingExample, WEAK } from './router.ts';
import { dimensionSources, dimensionValues } from './dimensionValues.ts';
import { appliedByMetric, createMetricReader, type MetricReader } from './metricQuestion.ts';
import { type AgentRun, runSkill } from './runSkill.ts';
import { createMemorySessionBackend } from '../../sessions/memoryBackend.ts';
import { createSessionStore, lastSkillTurn, type SessionStore, type StoredTurn } from '../../sessions/sessionStore.ts';
import { asksFor, asksForAction, hasSideEffects, noActionAsked, offTopic, outOfScope } from './scope.ts';
import { type CalledWith, findQualifiers, type NotDone, periodText, unapplied } from './qualifiers.ts';
import { splitRequests } from './requests.ts';
import { Speller } from './spelling.ts';
import { createTemplateEngine } from './template.ts';
import { date } from './filters.ts';
import { tokenize } from './text.ts';
import { once } from '../../once.ts';

export interface OfflineEngineDeps {
  manifest: Manifest;
  toolbox: Toolbox;
  /** Source of the entity names (`resolve.values`); without it names are not recognised in questions. */
  warehouse?: Warehouse;
  now?: () => Date;
  /** Where follow-ups find the session's earlier turns; default: this process's memory. */
  sessions?: SessionStore;
  /**
   * Load the names and build the indexes on the first question (a server starts without them) rather than before
   * the engine is returned; `analyse` and `router` then need `ready()` first.
   */
  namesOnFirstQuestion?: boolean;
}

export interface OfflineEngine extends Engine {
  readonly name: 'offline';
  /** The question as the engine reads it (names, dates, numbers, masked terms). */
  analyse(text: string): Question;
  /** The supervisor's router; `leaveOut` builds it without one routing example (for `revops eval`). */
  router(supervisor: string, leaveOut?: RoutingExample): Router;
  /** Resolves once the names are loaded and the indexes built (at once unless `namesOnFirstQuestion`). */
  ready(): Promise<void>;
}

/** A collaborator's run with the parts of the question it did not apply or do. */
type AgentAnswer = AgentRun & { notDone: NotDone[] };

/** Words that ask about a record without saying what about it: "tell me about IXIS", "quick update on DataCorp". */
const SUBJECT_FILLER = new Set(['tell', 'show', 'give', 'status', 'info', 'detail', 'latest', 'summary', 'overview', 'quick', 'rundown', 'look', 'up', 'update']);

/** Skill score under which a skill does not fit (a follow-up then keeps the previous skill). */
const SKILL_MIN_SCORE = 0.08;
/** Skill score at which a question is one of a report skill's own examples, reworded. */
const REPORT_EXAMPLE_SCORE = 0.6;
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

/** The turn kept for follow-ups: names and dates accumulate over the session's skill turns. */
function turnOf(user: string, agent: string, run: AgentRun, previous: StoredTurn | undefined, clock: () => Date): StoredTurn {
  const turn: StoredTurn = { at: clock().toISOString(), user, assistant: run.text, agent };
  if (!run.skill) return turn;
  const dates = run.dates ?? previous?.dates;
  return { ...turn, skill: run.skill, entities: { ...previous?.entities, ...run.entities }, ...(dates ? { dates } : {}) };
}

export async function createOfflineEngine(deps: OfflineEngineDeps): Promise<OfflineEngine> {
  const { manifest, toolbox } = deps;
  const clock = deps.now ?? (() => new Date());
  const fiscalStart = manifest.defaults.fiscalYearStartMonth;
  const agents = new Map(manifest.agents.map((a) => [a.name, a]));
  const tools = new Map<string, ManifestTool>(manifest.tools.map((t) => [t.name, t]));
  const vocabulary = specVocabulary(manifest);
  const sources = manifest.tools.flatMap((t) => t.parameters.flatMap((p) => nameColumns(t, p)));
  let entities: EntityIndex | undefined;
  // Dimension values (regions, segments, owners…) are matched only when a question is read as a metric query, so
  // they never turn an ordinary word of another question ("Pipeline", "Commit") into a name.
  let metrics: MetricReader | undefined;
  let prepared = false;
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
  const read = (text: string): Question =>
    analyseQuestion(text, { entities, now: clock(), fiscalStart, specWords: vocabulary });
  /** While ready() builds the indexes, each text is read once: the speller reads the examples the indexes did. */
  let readOnce: Map<string, string[]> | undefined;
  const masked = (text: string): string[] => {
    const known = readOnce?.get(text);
    if (known) return known;
    const terms = read(text).terms;
    readOnce?.set(text, terms);
    return terms;
  };
  let speller: Speller | undefined;
  const analyse = (text: string): Question => {
    if (!prepared) throw new Error('offline engine: analyse() before ready()');
    const q = read(text);
    return speller ? { ...q, terms: speller.correctAll(q.terms) } : q;
  };
  const routers = new Map<string, Router>();
  const router = (supervisor: string, leaveOut?: RoutingExample): Router => {
    if (!prepared) throw new Error('offline engine: router() before ready()');
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
  const sessions = deps.sessions ?? createSessionStore(createMemorySessionBackend(), { ttlSeconds: manifest.defaults.idleSessionTtlSeconds });
  const skillTermsOf = new Map<ManifestSkill, string[]>();
  /** What a skill says it does: its description as the engine reads it. */
  const skillTerms = (s: ManifestSkill): string[] => {
    let terms = skillTermsOf.get(s);
    if (!terms) skillTermsOf.set(s, (terms = masked(s.description ?? '')));
    return terms;
  };

  /** A collaborator whose every skill changes or sends something. */
  const onlyActs = (name: string): boolean => {
    const agent = agents.get(name);
    return agent !== undefined && agent.skills.length > 0 && agent.skills.every((s) => hasSideEffects(s, tools));
  };
  // A collaborator that only changes or sends things gets a question only when it asks for a change in so many
  // words ("techflow deal" shares words with "update the TechFlow deal"); otherwise the nearest one that reads.
  const readerUnlessAsked = (decision: RouteDecision, text: string, q: Question): RouteDecision => {
    if (!decision.target || !onlyActs(decision.target) || asksForAction(text, q.terms)) return decision;
    const reader = decision.ranked.find((r) => !onlyActs(r.label));
    return reader && reader.score >= ROUTE_MIN_SCORE ? { ...decision, target: reader.label, confidence: Math.min(1, reader.score) } : decision;
  };

  const chooseSkill = (agent: ManifestAgent, q: Question, previous: StoredTurn | undefined, followUp: boolean): ManifestSkill | undefined => {
    // A skill that computes the metric a question names (its metrics step fixes no measure; a report's step that
    // reads one agreed figure, with: { measure: pipeline }, does not make it one) fits only a question naming a measure.
    const computes = (s: ManifestSkill): boolean => s.steps.some((st) => tools.get(st.tool)?.kind === 'metrics' && st.with.measure === undefined);
    const [best] = skillIndex(agent).rank(q.terms).filter((r) => metrics?.read(q) || !agent.skills.some((s) => s.name === r.label && computes(s)));
    const keep = followUp && previous?.agent === agent.name ? agent.skills.find((s) => s.name === previous.skill) : undefined;
    // A figure the metrics layer defines ("LATAM pipeline next quarter") goes to the skill that computes it, even
    // where a report's examples are nearer in words, unless the question is close to one of the report's own.
    const figure = metrics?.asksForFigure(q) ? agent.skills.find(computes) : undefined;
    if (figure && !(best && best.score >= REPORT_EXAMPLE_SCORE && best.label !== figure.name)) return figure;
    if (best && best.score >= SKILL_MIN_SCORE) return agent.skills.find((s) => s.name === best.label);
    return keep;
  };

  /**
   * A question that is only a known name ("ixis?", "who is Maria Garcia?"): the skill whose first tool looks that
   * kind of record up by it, preferring the column the tool names first (a deal name over the deal's account), then
   * collaborators and skills in spec order. Skills with side effects are never chosen this way.
   */
  const subjectOf = (supervisor: ManifestAgent, q: Question): { agent: ManifestAgent; skill: ManifestSkill } | undefined => {
    if (!q.terms.every((t) => WEAK.test(t) || SUBJECT_FILLER.has(t) || t.startsWith('zz'))) return undefined;
    const sources = q.mentions.length ? q.mentions.map((m) => m.source) : q.missing.flatMap((m) => m.sources);
    let best: { agent: ManifestAgent; skill: ManifestSkill; rank: number } | undefined;
    for (const c of collaboratorsOf(manifest, supervisor)) for (const skill of c.skills) {
      const tool = tools.get(skill.steps[0]?.tool ?? '');
      if (!tool || hasSideEffects(skill, tools)) continue;
      for (const p of tool.parameters.filter((x) => x.required)) {
        const rank = nameColumns(tool, p).findIndex((col) => sources.includes(col));
        if (rank >= 0 && (!best || rank < best.rank)) best = { agent: c, skill, rank };
      }
    }
    return best && { agent: best.agent, skill: best.skill };
  };

  /**
   * Names the question gives that this skill's tools could look up but no call did ("DataCorp" and "TechFlow" in
   * "status of IXIS, DataCorp and TechFlow": a skill looks up one record).
   */
  const namesNotLookedUp = (skill: ManifestSkill, q: Question, calls: CalledWith): NotDone[] => {
    const columns = new Set(skill.steps.flatMap((st) => {
      const tool = tools.get(st.tool);
      return tool ? tool.parameters.flatMap((p) => nameColumns(tool, p)) : [];
    }));
    const given = calls.flatMap((c) => Object.values(c.params).map((v) => String(v).toLowerCase()));
    const spans = new Map<string, string>();
    for (const m of q.mentions) {
      if (!columns.has(m.source)) continue;
      const used = given.some((v) => v.includes(m.typed.toLowerCase()) || v === m.bind.toLowerCase());
      const key = `${m.from}:${m.to}`;
      if (!used && !spans.has(key)) spans.set(key, m.typed);
      if (used) spans.set(key, '');
    }
    return [...spans.values()].filter((typed) => typed !== '').map((typed) =>
      ({ part: typed, reason: `I answer about one at a time and did not look this one up; ask about "${typed}" on its own.` }));
  };

  /** Tool calls of a run, kept as they pass by, so the qualifiers can be checked against what was asked. */
  async function* watched(run: AsyncGenerator<TraceEvent, AgentRun>, calls: CalledWith): AsyncGenerator<TraceEvent, AgentRun> {
    for (;;) {
      const next = await run.next();
      if (next.done) return next.value;
      if (next.value.type === 'tool_call') {
        const metric = tools.get(next.value.tool)?.kind === 'metrics';
        calls.push({ tool: next.value.tool, params: metric ? appliedByMetric(next.value.parameters) : next.value.parameters });
      }
      yield next.value;
    }
  }

  /**
   * Runs the chosen skill: once per period when the question compares periods ("Q3 and Q4") and the skill takes
   * one, then says which of the question's qualifiers no tool took, and states the period used when the answer
   * does not.
   */
  async function* runAgent(agent: ManifestAgent, q: Question, previous: StoredTurn | undefined, followUp: boolean,
    at: () => string, options: { signal?: AbortSignal; forced?: ManifestSkill; partOfMany?: boolean } = {}): AsyncGenerator<TraceEvent, AgentAnswer> {
    const nearest = options.forced ?? chooseSkill(agent, q, previous, followUp);
    if (!nearest) return { text: noSkill(agent), answered: false, entities: {}, notDone: [{ part: q.text, reason: 'no skill of mine answers this' }] };
    // A skill that changes something runs only when asked for that change; another of the agent's skills may be.
    const asked = (s: ManifestSkill): boolean => !hasSideEffects(s, tools) || asksFor(s, tools, q.text, q.terms, skillTerms(s));
    const skill = asked(nearest) ? nearest : agent.skills.find((s) => hasSideEffects(s, tools) && asked(s));
    if (!skill) {
      const text = noActionAsked(agent.skills.filter((s) => hasSideEffects(s, tools)));
      return { text, answered: false, entities: {}, notDone: [{ part: q.text, reason: 'not a change I can make, or not asked for in so many words' }] };
    }
    const acting = hasSideEffects(skill, tools);
    // Among other requests an action is easy to miss when reading the answer: it is never done there, only named.
    if (acting && options.partOfMany) {
      const text = `I didn't do "${q.text}": I send a message or change a record only when that is the whole request, so you can check it first. Ask for it on its own (for example "${skill.examples[0] ?? q.text}").`;
      return { text, answered: false, entities: {}, notDone: [{ part: q.text, reason: 'an action is done only when asked for on its own' }] };
    }
    const ctx = { tools, toolbox, templates, now: clock(), fiscalStart, at, signal: options.signal, metrics };
    const takesDates = skill.steps.some((st) => tools.get(st.tool)?.parameters.some((p) => p.resolve && 'date' in p.resolve));
    const periods = takesDates && q.dates.length > 1 ? q.dates.map((d) => ({ ...q, dates: [d] })) : [q];
    const calls: CalledWith = [];
    const runs: AgentRun[] = [];
    for (const one of periods) runs.push(yield* watched(runSkill(agent, skill, one, previous, ctx), calls));
    const gaps = runs.flatMap((r) => r.gaps ?? []);
    const run = { ...runs[runs.length - 1]!, ...(gaps.length ? { gaps } : {}) };
    const withPeriod = (r: AgentRun): string => (r.answered && r.dates && !r.text.includes(date(r.dates.start))
      ? `${r.text}\n\nPeriod: ${periodText(r.dates.start, r.dates.end)}.` : r.text);
    // Compared periods are headed with the words the question used for each ("**Q3**"), so each is found again.
    const texts = runs.map((r, i) => (periods.length > 1 ? `**${periods[i]!.dates[0]!.phrase}**\n\n${withPeriod(r)}` : withPeriod(r)));
    if (!runs.every((r) => r.answered)) {
      const reason = runs.find((r) => !r.answered)!.text.split(/(?<=[.?])\s|\n/u)[0]!;
      return { ...run, text: texts.join('\n\n---\n\n'), notDone: [{ part: q.text, reason }] };
    }
    // A qualifier inside a name ("EMEA" in "Platform Expansion - EMEA - Q4 FY25") is part of the name.
    const qualifiers = acting ? [] : findQualifiers(q).filter((x) => !q.mentions.some((m) => x.from >= m.from && x.to <= m.to));
    const notDone = [...unapplied(qualifiers, calls), ...namesNotLookedUp(skill, q, calls)];
    const notes = notDone.length ? `\n\n**Not applied**\n${notDone.map((n) => `- "${n.part}": ${n.reason}`).join('\n')}` : '';
    return { ...run, text: texts.join('\n\n---\n\n') + notes, notDone };
  }

  interface Handled {
    run?: AgentAnswer;
    target?: string;
    text: string;
    notDone: NotDone[];
    gaps?: AnswerGap[];
  }

  /** One request through the supervisor: out-of-scope check, routing (or a bare name's record), the collaborator's skill. */
  async function* supervise(entry: ManifestAgent, text: string, previous: StoredTurn | undefined, at: () => string,
    signal: AbortSignal | undefined, partOfMany: boolean): AsyncGenerator<TraceEvent, Handled> {
    const q = analyse(text);
    const followUp = previous !== undefined && FOLLOW_UP_CUE.test(text);
    const topic = offTopic(q);
    if (topic) {
      yield { type: 'route', agent: entry.name, at: at(), target: entry.name, confidence: 0, reason: `outside revenue operations (${topic})` };
      return { text: outOfScope(topic, collaboratorsOf(manifest, entry)), notDone: [{ part: text, reason: `outside revenue operations (${topic})` }] };
    }
    const knowledgeTool = isDefinitionQuestion(text) ? knowledgeToolOf(entry, tools) : undefined;
    if (knowledgeTool) {
      const callId = `${knowledgeTool.name}-definition`;
      const calledAt = at();
      const parameters = { query: text };
      const result = await toolbox.run(knowledgeTool.name, parameters, signal);
      const definition = definitionAnswer(result);
      if (definition) yield { type: 'route', agent: entry.name, at: calledAt, target: entry.name, confidence: 1, reason: 'a definition: answered from the knowledge documents' };
      yield { type: 'tool_call', agent: entry.name, at: calledAt, tool: knowledgeTool.name, callId, parameters };
      yield { type: 'tool_result', agent: entry.name, at: calledAt, durationMs: Math.round(result.stats.durationMs), tool: knowledgeTool.name, callId,
        ok: result.ok, rowCount: result.stats.rowCount, ...(result.rows ? { rows: result.rows } : {}), ...(result.error ? { error: `${result.error.code}: ${result.error.message}` } : {}) };
      if (definition) return { text: definition, notDone: [] };
    }
    const subject = followUp ? undefined : subjectOf(entry, q);
    const decision = subject ? { target: subject.agent.name, confidence: 1, ranked: [] } : readerUnlessAsked(router(entry.name).route(q.terms), text, q);
    const previousAgent = previous && collaboratorsOf(manifest, entry).some((c) => c.name === previous.agent) ? previous.agent : undefined;
    // A follow-up stays with the previous collaborator unless the question clearly belongs to another one.
    const previousScore = decision.ranked.find((r) => r.label === previousAgent)?.score ?? 0;
    // An action ("and ping the deal desk that it slipped") is never a follow-up answered by the previous analysis.
    const stay = followUp && previousAgent !== undefined && !asksForAction(text, q.terms) &&
      (!decision.target || previousScore >= decision.confidence * 0.5);
    const target = stay ? previousAgent : decision.target;
    const reason = stay ? 'follow-up: same collaborator as the previous turn' : subject ? 'a known name on its own'
      : target ? 'nearest routing examples' : 'no collaborator is close to the question';
    yield { type: 'route', agent: entry.name, at: at(), target: target ?? entry.name, confidence: Number(decision.confidence.toFixed(3)), reason };
    if (!target) return { text: capabilities(entry, collaboratorsOf(manifest, entry)), notDone: [{ part: text, reason: 'not something I can answer' }] };
    const delegatedAt = at();
    const started = performance.now();
    yield { type: 'delegate', agent: entry.name, at: delegatedAt, target, input: text };
    const run = yield* runAgent(agents.get(target)!, q, previous, followUp, at, { signal, forced: stay ? undefined : subject?.skill, partOfMany });
    yield { type: 'answer', agent: target, at: at(), text: run.text, ...(run.skill ? { skill: run.skill } : {}), ...(run.notDone.length ? { notDone: run.notDone } : {}), ...(run.gaps ? { gaps: run.gaps } : {}) };
    yield { type: 'delegate', agent: entry.name, at: delegatedAt, durationMs: Math.round(performance.now() - started), target, input: text, output: run.text };
    return { run, target, text: run.text, notDone: run.notDone, ...(run.gaps ? { gaps: run.gaps } : {}) };
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
    /** Every answered turn is stored; what a skill resolved carries over to the follow-ups (turnOf). */
    const remember = (user: string, agent: string, run: AgentRun, previous: StoredTurn | undefined): Promise<void> =>
      sessions.append(request.sessionId, turnOf(user, agent, run, previous, clock));
    const final = (text: string, notDone: NotDone[], skill?: string, gaps: AnswerGap[] = []): TraceEvent =>
      ({ type: 'answer', agent: entry.name, at: startedAt, durationMs: since(), text, ...(skill ? { skill } : {}), ...(notDone.length ? { notDone } : {}), ...(gaps.length ? { gaps } : {}) });
    try {
      await ready();
      if (entry.role === 'collaborator') {
        const previous = lastSkillTurn(await sessions.turns(request.sessionId));
        const q = analyse(request.text);
        const run = yield* runAgent(entry, q, previous, previous !== undefined && FOLLOW_UP_CUE.test(request.text), at, { signal: request.signal });
        await remember(request.text, entry.name, run, previous);
        yield final(run.text, run.notDone, run.skill, run.gaps);
        return;
      }
      const parts = splitRequests(request.text);
      const answers: Handled[] = [];
      for (const part of parts) {
        const previous = lastSkillTurn(await sessions.turns(request.sessionId));
        const handled = yield* supervise(entry, part, previous, at, request.signal, parts.length > 1);
        await remember(part, handled.target ?? entry.name, handled.run ?? { text: handled.text, answered: true, entities: {} }, previous);
        answers.push(handled);
      }
      const only = answers.length === 1 ? answers[0]! : undefined;
      const text = only ? only.text : answers.map((h, i) => `**${i + 1}. ${parts[i]}**\n\n${h.text}`).join('\n\n---\n\n');
      yield final(text, answers.flatMap((h) => h.notDone), only?.run?.skill, answers.flatMap((h) => h.gaps ?? []));
    } catch (cause) {
      yield { type: 'error', agent: entry.name, at: startedAt, durationMs: since(), code: 'offline_failed', message: `The offline engine failed: ${(cause as Error).message}` };
    }
  }

  // Every index at once, so no later question pays for analysing all examples (and chrono's start-up).
  const ready = once(async () => {
    const models = manifest.metrics;
    const names = deps.warehouse ? await cachedEntityNames(deps.warehouse, sources, dimensionSources(models)) : undefined;
    if (names) entities = indexEntityNames(names, vocabulary);
    if (models.length) metrics = createMetricReader(models, names ? dimensionValues(models, names) : undefined);
    prepared = true;
    if (manifest.knowledge.documents.length) knowledgeIndex(manifest.knowledge);
    readOnce = new Map();
    try {
      for (const a of manifest.agents) {
        if (a.role === 'supervisor') router(a.name);
        skillIndex(a);
      }
      speller = new Speller([
        ...manifest.routes.flatMap((r) => Object.values(r.routes).flat()),
        ...manifest.agents.flatMap((a) => [a.description, ...a.skills.flatMap((s) => [...s.examples, s.description ?? ''])]),
      ].map(masked));
    } finally {
      readOnce = undefined;
    }
  });
  if (!deps.namesOnFirstQuestion) await ready();
  return { name: 'offline', invoke, analyse, router, ready };
}
