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
import { appliedByMetric, createMetricReader, LOST_CUE, type MetricReader, type MetricReading } from './metricQuestion.ts';
import { findGroupings, givesGrouping, type Grouping, groupsOfSkill } from './groupings.ts';
import { type AgentRun, METRIC_MEASURE, runSkill } from './runSkill.ts';
import { createMemorySessionBackend } from '../../sessions/memoryBackend.ts';
import { createSessionStore, lastSkillTurn, type SessionStore, type StoredTurn } from '../../sessions/sessionStore.ts';
import { asksFor, asksForAction, hasSideEffects, noActionAsked, offTopic, outOfScope } from './scope.ts';
import { type CalledWith, findQualifiers, type NotDone, paramTakes, periodText, QUALIFIER_KINDS, type QualifierKind, unapplied } from './qualifiers.ts';
import { splitRequests } from './requests.ts';
import { Speller } from './spelling.ts';
import { createTemplateEngine, TemplateError } from './template.ts';
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

/** The skill chosen for a question and how well it fits (its similarity; 1 for a figure the metrics layer defines). */
interface SkillChoice {
  skill?: ManifestSkill;
  score: number;
}

/** A collaborator's run with the parts of the question it did not apply or do. */
type AgentAnswer = AgentRun & { notDone: NotDone[] };

/** Words that ask about a record without saying what about it: "tell me about IXIS", "quick update on DataCorp". */
const SUBJECT_FILLER = new Set(['tell', 'show', 'give', 'status', 'info', 'detail', 'latest', 'summary', 'overview', 'quick', 'rundown', 'look', 'up', 'update']);

/** Skill score under which a skill does not fit (a follow-up then keeps the previous skill). */
const SKILL_MIN_SCORE = 0.08;
/** Skill score under which a collaborator's best skill is a poor fit, so a runner-up with a better one answers. */
const SKILL_FIT = 0.15;
/** A runner-up this far behind the nearest collaborator (its share of the top score) is not a candidate at all. */
const RUNNER_UP = 0.5;
/** Routing scores this close (the runner-up's share of the top one) are a tie, which the better-fitting skill breaks. */
const NEAR_TIE = 0.9;
/** Skill score at which a question is one of a report skill's own examples, reworded. */
const REPORT_EXAMPLE_SCORE = 0.6;
/** Where two requests may be joined with no verb of their own: "…, and …", "… and …", "… plus …", "… as well as …". */
const JOINED = /\s*,?\s+(?:and|&|plus|as well as|along with)\s+/giu;
/** A question asking for a part's share of a whole. */
const SHARE_CUE = /\b(?:share|percentage|proportion|fraction|percent) of\b|\bwhat %/iu;
/** A question asking for the records themselves rather than a figure over them. */
const LIST_CUE = /\b(?:list(?: all| every| the)?|show me (?:all|every|the)|give me (?:all|every|a list of)|enumerate)\b/iu;
/** Words that point at a record named earlier rather than name it. */
// "they" and "their" often point inside the question ("accounts using more seats than they bought"), so only these.
const BACK_REFERENCE = /\b(?:that|this|the same|those|these) (?:reps?|owners?|accounts?|customers?|compan(?:y|ies)|deals?|regions?|segments?|industr(?:y|ies))\b|\b(?:his|her)\b/iu;
/** A comparison inside the question ("more seats than they bought") that a metric reading has no filter for. */
const MORE_THAN = /\b(?:more|less|fewer|higher|lower|bigger|smaller)\s+(?:[\p{L}-]+\s+){0,2}than\s+(?![$\d])[^,.?;]*/iu;
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

/**
 * The turn kept for follow-ups: names accumulate over the session's skill turns; a period carries on only through
 * turns of the same specialist, so a lead assessment between them does not hand last quarter to a pipeline question.
 */
function turnOf(user: string, agent: string, run: AgentRun, previous: StoredTurn | undefined, clock: () => Date): StoredTurn {
  const turn: StoredTurn = { at: clock().toISOString(), user, assistant: run.text, agent };
  if (!run.skill) return turn;
  const dates = run.dates ?? (previous?.agent === agent ? previous.dates : undefined);
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
  // `revops compile` checks templates in this same dialect, so only a manifest it did not build gets here, and a
  // half-working engine over it would hide that.
  for (const a of manifest.agents) for (const s of a.skills) {
    try {
      templates.compile(s.answer);
      for (const step of s.steps) for (const expr of Object.values(step.with)) templates.compile(expr);
    } catch (cause) {
      const problem = (cause as Error).message;
      throw new TemplateError('template_invalid', `agent ${a.name} skill ${s.name}: template does not parse: ${problem}; run revops validate and compile again`, { cause });
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

  // A skill that computes the metric a question names: its metrics step fixes no measure (a report's step that reads
  // one agreed figure, with: { measure: pipeline }, does not make it one).
  const computes = (s: ManifestSkill): boolean => s.steps.some((st) => tools.get(st.tool)?.kind === 'metrics' && st.with.measure === undefined);
  const groupsOf = new Map<ManifestSkill, Set<string>>();
  /** The breakdowns and records a skill names (groupings.ts). */
  const skillGroups = (s: ManifestSkill): Set<string> => {
    let groups = groupsOf.get(s);
    if (!groups) groupsOf.set(s, (groups = groupsOfSkill(s, read)));
    return groups;
  };
  /** Whether some step of the skill takes a filter on this dimension (a qualifier kind, else a parameter named so). */
  const filtersBy = (s: ManifestSkill, dimension: string): boolean => s.steps.some((st) => tools.get(st.tool)?.parameters.some((p) =>
    (QUALIFIER_KINDS.has(dimension) ? paramTakes(dimension as QualifierKind, p.name) : p.name.includes(dimension))));
  /**
   * Whether a report does all the metric reading would: each filter a parameter of its tools takes, each group one
   * of its breakdowns, "top N" a limit it takes. "Enterprise pipeline this quarter" reads like the pipeline report's
   * own example, but only the metric applies the segment.
   */
  const appliesAll = (report: ManifestSkill, r: MetricReading): boolean =>
    r.filters.every((f) => filtersBy(report, f.dimension)) &&
    r.groupBy.every((g) => skillGroups(report).has(termsOf(g.replace(/_/gu, ' ')).at(-1) ?? g)) &&
    (r.limit === undefined || filtersBy(report, 'top'));

  /** Whether a report's description speaks of a measure (its name or a synonym): the revenue report of bookings. */
  const reportsOn = (report: ManifestSkill, measure: string): boolean => {
    const m = manifest.metrics.flatMap((model) => model.measures).find((x) => x.name === measure);
    const words = new Set(termsOf([measure.replace(/_/gu, ' '), ...(m?.synonyms ?? [])].join(' ')));
    return termsOf(report.description ?? '').some((t) => words.has(t));
  };

  /** The skill that answers the question and how sure the choice is (1 for a figure the metrics layer defines). */
  /**
   * The nearest collaborator answers unless the runner-up has a skill that fits clearly better, where its own skills
   * fit poorly or the two are about as near: "which reps have the most stalled deals" reads like the data analyst's
   * "which rep has the most pipeline", but only the deal analyst's skills know stalled deals.
   */
  const withFittingSkill = (decision: RouteDecision, text: string, q: Question): RouteDecision => {
    const [top, next] = decision.ranked.filter((r) => r.label === decision.target || !onlyActs(r.label) || asksForAction(text, q.terms));
    if (!decision.target || !top || top.label !== decision.target || !next || next.score < Math.max(ROUTE_MIN_SCORE, top.score * RUNNER_UP)) return decision;
    const fit = (name: string): number => chooseSkill(agents.get(name)!, q, undefined, false).score;
    const tie = next.score >= top.score * NEAR_TIE;
    const own = fit(top.label);
    if (own >= SKILL_FIT && !tie) return decision;
    const theirs = fit(next.label);
    const better = theirs >= SKILL_FIT && theirs > own + (own >= SKILL_FIT ? SKILL_FIT : 0);
    return better ? { ...decision, target: next.label, confidence: Math.min(1, next.score) } : decision;
  };

  const chooseSkill = (agent: ManifestAgent, q: Question, previous: StoredTurn | undefined, followUp: boolean): SkillChoice => {
    const reading = metrics?.read(q);
    const metricSkill = reading ? agent.skills.find(computes) : undefined;
    // A skill that computes a metric fits only a question that names a measure.
    const ranked = skillIndex(agent).rank(q.terms).filter((r) => reading || !agent.skills.some((s) => s.name === r.label && computes(s)));
    const named = (label: string): ManifestSkill => agent.skills.find((s) => s.name === label)!;
    if (metricSkill && reading) {
      const report = ranked.find((r) => r.label !== metricSkill.name);
      const metricScore = ranked.find((r) => r.label === metricSkill.name)?.score ?? 0;
      // A figure the metrics layer defines ("LATAM pipeline next quarter") goes to the skill that computes it, even
      // where a report's examples are nearer in words, unless the question is close to one of the report's own and
      // the report applies all of it.
      if (metrics!.asksForFigure(q)) {
        return report && report.score >= REPORT_EXAMPLE_SCORE && appliesAll(named(report.label), reading)
          ? { skill: named(report.label), score: report.score } : { skill: metricSkill, score: 1 };
      }
      // A measure with no figure asked of it ("pipeline closing in the next 60 days", "who is using more seats than
      // they pay for") is the subject of the nearest report about it, unless the question is one of the metric
      // skill's own examples reworded.
      const about = ranked.find((r) => r.label !== metricSkill.name && r.score >= SKILL_MIN_SCORE && reportsOn(named(r.label), reading.measure));
      if (about && metricScore < REPORT_EXAMPLE_SCORE) return { skill: named(about.label), score: about.score };
    }
    const [best] = ranked;
    if (best && best.score >= SKILL_MIN_SCORE) return { skill: named(best.label), score: best.score };
    const keep = followUp && previous?.agent === agent.name ? agent.skills.find((s) => s.name === previous.skill) : undefined;
    return { skill: keep, score: 0 };
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

  /**
   * Names the answer is not narrowed to: the question names something ("Acme Corp", "Emily", "Germany") that no
   * tool call took, so the answer covers everything, not that name. Any name that matches nothing in the data; for
   * a computed figure also a record the data holds but no dimension of the layer filters by.
   */
  const namesNotApplied = (skill: ManifestSkill, q: Question, calls: CalledWith, bound: boolean): NotDone[] => {
    const given = calls.flatMap((c) => Object.values(c.params).map((v) => String(v).toLowerCase()));
    const used = (typed: string, bind = typed): boolean => given.some((v) => v.includes(typed.toLowerCase()) || v.includes(bind.toLowerCase()));
    const qualified = findQualifiers(q);
    const inQualifier = (from: number, to: number): boolean => qualified.some((x) => from >= x.from && to <= x.to);
    const out = new Map<string, NotDone>();
    for (const m of computes(skill) ? q.mentions : []) {
      if (!/^\p{Lu}/u.test(m.typed) || inQualifier(m.from, m.to) || used(m.typed, m.bind) || out.has(m.typed)) continue;
      out.set(m.typed, { part: m.typed, reason: `I can't narrow this figure to "${m.typed}", so it covers every ${m.source.split('.')[0]!.replace(/_/gu, ' ')} record, not only this one.` });
    }
    // "how many deals does that rep have open?": a figure never carries a name over from an earlier answer.
    const narrowed = bound || calls.some((c) => c.params.filters !== undefined && c.params.filters !== '');
    const pointer = narrowed ? null : BACK_REFERENCE.exec(q.text);
    if (pointer) out.set(pointer[0], { part: pointer[0], reason: `this answer took no name from an earlier one, so it covers everything; name it in the question ("… for Sarah Johnson").` });
    for (const typed of q.unknownNames) {
      const at = q.text.indexOf(typed);
      if (inQualifier(at, at + typed.length) || used(typed) || out.has(typed)) continue;
      out.set(typed, { part: typed, reason: `nothing I can look up or filter by matches "${typed}", so this answer is not narrowed to it: it covers everything.` });
    }
    return [...out.values()];
  };

  /**
   * Breakdowns the question asks for that the skill does not give ("churn risk by industry": the churn report ranks
   * customers), and measures beside the one a metric computed: declared, so another report is never taken for the
   * breakdown and no measure asked for is dropped.
   */
  const notGrouped = (skill: ManifestSkill, q: Question): NotDone[] => {
    const reading = computes(skill) ? metrics?.read(q) : undefined;
    const inReading = (g: Grouping): boolean =>
      [reading!.spans.measure, ...reading!.spans.groups].some((s) => s.from < g.at.to && g.at.from < s.to);
    const measure = reading?.measure.replace(/_/gu, ' ');
    const measures = (reading?.otherMeasures ?? []).map((words) =>
      ({ part: words, reason: `I compute one measure at a time and this answer is ${measure}; ask for "${words}" on its own.` }));
    // "what share of our open pipeline is in Verbal Commit?": the amount alone is not the share asked for.
    const share = reading && !/percent/u.test(reading.format) ? SHARE_CUE.exec(q.text) : null;
    if (share) measures.push({ part: share[0], reason: `this answer is the amount, not its share of the total; compare it with the total ("… by stage" lists every part).` });
    // "list all open deals owned by Sarah Johnson": one figure is not the list asked for.
    const list = reading && reading.groupBy.length === 0 ? LIST_CUE.exec(q.text) : null;
    if (list) measures.push({ part: list[0], reason: `this answer is one figure (${measure}), not a list of the records; ask for the top ones ("top 10 … by amount") or by a breakdown ("… by stage").` });
    // "accounts using more seats than they bought": a comparison of two things the reading has no filter for.
    const compared = reading && !reading.filters.some((f) => 'op' in f) ? MORE_THAN.exec(q.text) : null;
    if (compared) measures.push({ part: compared[0].trim(), reason: `I can't filter this figure by that comparison, so it covers every group; a threshold works ("… at 100% or more").` });
    // "how much revenue did we lose": no lost-deal measure was read, so the figure is not about lost deals.
    const lost = reading && !reading.measure.includes('lost') ? LOST_CUE.exec(q.text) : null;
    if (lost) measures.push({ part: lost[0], reason: `this answer is ${measure}, not limited to deals lost; ask for "deals lost" or "closed lost" for those.` });
    return [...findGroupings(q).filter((g) => !(reading ? inReading(g) : givesGrouping(g, skillGroups(skill))))
      .map((g) => ({ part: g.phrase, reason: `I can't break this down by ${g.by} yet, so this ${reading ? 'is the total over all of them' : `is not split by ${g.by}`}.` })), ...measures];
  };

  /** Tool calls of a run, kept as they pass by, so the qualifiers can be checked against what was asked. */
  async function* watched(run: AsyncGenerator<TraceEvent, AgentRun>, calls: CalledWith): AsyncGenerator<TraceEvent, AgentRun> {
    for (;;) {
      const next = await run.next();
      if (next.done) return next.value;
      // A proposed call holds what the request named too ("send the IXIS case study"): that name was not left out.
      if (next.value.type === 'tool_call' || next.value.type === 'approval_needed') {
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
    const nearest = options.forced ?? chooseSkill(agent, q, previous, followUp).skill;
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
    const notDone = [...unapplied(qualifiers, calls), ...(acting ? [] : notGrouped(skill, q)), ...namesNotLookedUp(skill, q, calls), ...(acting ? [] : namesNotApplied(skill, q, calls, Object.keys(run.entities).some((k) => k !== METRIC_MEASURE)))];
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

  /** Where a request would go: its collaborator and skill, and how well the skill fits; undefined when nowhere. */
  const placement = (entry: ManifestAgent, text: string): { agent: string; skill: string; score: number; bareMeasure: boolean; named: boolean; measure?: string } | undefined => {
    const q = analyse(text);
    if (offTopic(q)) return undefined;
    // A qualifier's value ("Commit customers") is not a record's name.
    const qualifiers = findQualifiers(q).map((x) => text.slice(x.from, x.to).toLowerCase());
    const named = q.mentions.length + q.missing.length > 0 || q.unknownNames.some((n) => !qualifiers.some((x) => x.includes(n.toLowerCase())));
    const reading = metrics?.read(q);
    const bare = reading !== undefined && !reading.groupBy.length && !reading.filters.length && !reading.period;
    const subject = subjectOf(entry, q);
    if (subject) return { agent: subject.agent.name, skill: subject.skill.name, score: 1, bareMeasure: false, named };
    const decision = withFittingSkill(readerUnlessAsked(router(entry.name).route(q.terms), text, q), text, q);
    if (!decision.target) return undefined;
    const { skill, score } = chooseSkill(agents.get(decision.target)!, q, undefined, false);
    return skill && { agent: decision.target, skill: skill.name, score, bareMeasure: bare, named, ...(computes(skill) && reading ? { measure: reading.measure } : {}) };
  };

  /**
   * Two analyses joined by "and" with no verb of their own ("churn risk for PLG customers and expansion signals"):
   * cut where each side alone is a request some skill answers well and the two go to different skills. Kept whole:
   * values joined ("compare Q3 and Q4 revenue", "DataCorp and Initech"), a side that leans on the other ("and what
   * are they worth"), a bare measure listed before another ("weighted pipeline and win rate by segment"). A period
   * that ends the message and that an earlier part lacks is that part's too ("pipeline by stage and MQLs this quarter").
   */
  const splitJoined = (entry: ManifestAgent, text: string): string[] => {
    const whole = analyse(text);
    const values = [...whole.dates, ...whole.mentions, ...whole.numbers, ...whole.missing.map((m) => ({ from: text.indexOf(m.typed), to: text.indexOf(m.typed) + m.typed.length }))];
    const isValueAt = (at: number, side: 'ends' | 'starts'): boolean => values.some((v) => (side === 'ends' ? v.to === at : v.from === at));
    const cuts = [...text.matchAll(JOINED)].filter((m) => !(isValueAt(m.index, 'ends') && isValueAt(m.index + m[0].length, 'starts')));
    if (cuts.length === 0) return [text];
    const pieces: Array<{ from: number; to: number }> = [];
    let from = 0;
    for (const c of cuts) {
      pieces.push({ from, to: c.index });
      from = c.index + c[0].length;
    }
    pieces.push({ from, to: text.length });
    const apart = (a: string, b: string): boolean => {
      if (a.split(/\s+/u).length < 2 || b.split(/\s+/u).length < 2 || FOLLOW_UP_CUE.test(b)) return false;
      const pa = placement(entry, a);
      const pb = placement(entry, b);
      // A measure alone before "and" is listed with the next one: "weighted pipeline and win rate by segment".
      if (!pa || !pb || pa.score < SKILL_FIT || pb.score < SKILL_FIT || pa.bareMeasure) return false;
      if (pa.agent !== pb.agent) return true;
      // A part naming nothing beside one that names a record, for the same specialist, is about that record:
      // "research Initech's technology stack and hiring news".
      // Two figures of the metric skill are two requests when they are of two measures ("pipeline by region and win
      // rate by segment").
      return (pa.skill !== pb.skill || pa.measure !== pb.measure) && pa.named === pb.named;
    };
    const out: Array<{ from: number; to: number }> = [];
    let current = pieces[0]!;
    for (const next of pieces.slice(1)) {
      if (apart(text.slice(current.from, current.to), text.slice(next.from, next.to))) {
        out.push(current);
        current = next;
      } else current = { from: current.from, to: next.to };
    }
    out.push(current);
    if (out.length === 1) return [text];
    const last = whole.dates.at(-1);
    const trailing = last && text.slice(last.to).trim().replace(/[?.!]+$/u, '') === '' ? last : undefined;
    return out.map((p) => {
      const part = text.slice(p.from, p.to).trim();
      return trailing && !whole.dates.some((d) => d.from >= p.from && d.to <= p.to) ? `${part} ${trailing.phrase}` : part;
    });
  };

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
    const nearest = subject ? undefined : readerUnlessAsked(router(entry.name).route(q.terms), text, q);
    const decision = subject ? { target: subject.agent.name, confidence: 1, ranked: [] } : withFittingSkill(nearest!, text, q);
    const previousAgent = previous && collaboratorsOf(manifest, entry).some((c) => c.name === previous.agent) ? previous.agent : undefined;
    // A follow-up stays with the previous collaborator unless the question clearly belongs to another one.
    const previousScore = decision.ranked.find((r) => r.label === previousAgent)?.score ?? 0;
    // An action ("and ping the deal desk that it slipped") is never a follow-up answered by the previous analysis.
    const stay = followUp && previousAgent !== undefined && !asksForAction(text, q.terms) &&
      (!decision.target || previousScore >= decision.confidence * 0.5);
    const target = stay ? previousAgent : decision.target;
    const reason = stay ? 'follow-up: same collaborator as the previous turn' : subject ? 'a known name on its own'
      : target && target !== nearest?.target ? 'the nearest collaborator with a skill for it'
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
      const parts = splitRequests(request.text).flatMap((part) => splitJoined(entry, part));
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
