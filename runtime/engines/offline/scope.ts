/**
 * What the offline engine will not do: questions outside revenue operations (travel, food, weather, poems) get an
 * honest "outside what I do" before any routing, and a skill that changes something (a CRM write, a webhook) runs
 * only when the question asks for an action in so many words. Both are word tables, not rules spread over files.
 */
import type { ManifestAgent, ManifestSkill, ManifestTool, ToolKind } from '../../../compiler/manifest.ts';
import type { Question } from './question.ts';
import { tokenize } from './text.ts';

/** Topics no collaborator covers; the key is how the answer names the topic. */
const OFF_TOPIC: Record<string, string[]> = {
  travel: ['flight', 'flights', 'airline', 'airport', 'hotel', 'hotels', 'airbnb', 'vacation', 'holiday', 'trip', 'train', 'taxi', 'uber', 'visa', 'passport'],
  food: ['recipe', 'recipes', 'restaurant', 'restaurants', 'pizza', 'lunch', 'dinner', 'breakfast', 'cook', 'cooking', 'menu', 'coffee'],
  weather: ['weather', 'rain', 'raining', 'sunny', 'snow', 'temperature', 'umbrella'],
  'writing poems or jokes': ['poem', 'poems', 'haiku', 'limerick', 'joke', 'jokes', 'song', 'lyrics', 'story', 'sonnet'],
  translation: ['translate', 'translation', 'translating', 'french', 'spanish', 'german', 'italian', 'japanese', 'chinese'],
  'general knowledge': ['capital', 'population', 'trivia', 'geography', 'homework', 'recipe', 'planet', 'president'],
  'personal errands': ['birthday', 'gift', 'dentist', 'doctor', 'gym', 'haircut', 'groceries', 'shopping'],
  entertainment: ['movie', 'movies', 'film', 'netflix', 'tv', 'game', 'football', 'soccer', 'horoscope'],
};
/** Words that keep a question in revenue operations even next to an off-topic word ("research the airline market"). */
const ON_TOPIC = new Set(('deal deals pipeline revenue lead leads mql mqls account accounts customer customers churn crm quarter ' +
  'forecast opportunity opportunities research market industry competitor competitors news company companies webhook ' +
  'notify notification icp prospect prospects usage expansion win rate segment bookings').split(' '));

const TOPIC_OF = new Map(Object.entries(OFF_TOPIC).flatMap(([topic, words]) => words.map((w) => [w, topic] as const)));

/** The off-topic subject of a question, when it names one and nothing of ours (no known record, no domain word). */
export function offTopic(q: Question): string | undefined {
  if (q.mentions.length > 0) return undefined;
  // A name is not a topic: "Umbrella" the account is not the weather, even when the data does not hold it.
  const named = new Set([...q.unknownNames, ...q.missing.map((m) => m.typed)].flatMap((n) => tokenize(n).map((t) => t.norm)));
  const words = tokenize(q.text).map((t) => t.norm).filter((w) => !named.has(w));
  if (words.some((w) => ON_TOPIC.has(w))) return undefined;
  return words.map((w) => TOPIC_OF.get(w)).find((t) => t !== undefined);
}

export function outOfScope(topic: string, collaborators: ManifestAgent[]): string {
  const examples = collaborators.flatMap((c) => c.routingExamples.slice(0, 1)).slice(0, 4).map((e) => `- "${e}"`);
  return [`That's outside what I do (${topic}), so I haven't looked anything up or changed anything. I answer revenue ` +
    'operations questions from our CRM, warehouse and sales calls, research companies, and send notifications or update ' +
    'the CRM when you ask. For example:', ...examples].join('\n');
}

/**
 * Tool kinds that change something, each with the verbs that ask for it: a notification needs "send", "notify",
 * "ping"…; a CRM write "update", "set", "log"…. Read on the text and on its terms (slang read, typos corrected,
 * stemmed: "notfy" is notify), so "remind Sarah to send the MSA" can send a message but never writes the CRM.
 */
const SIDE_EFFECTS: Partial<Record<ToolKind, { text: RegExp; terms: ReadonlySet<string>; subject: boolean }>> = {
  webhook: {
    text: /\b(send|notify|ping|post|alert|tell(?!\s+me\b)|remind|message|dm|email|let(?:\s+[\w#-]+){1,3}\s+know)\b/iu,
    terms: new Set(['send', 'notify', 'post', 'email']),
    // A message is free text: what it is about need not be anything the examples mention.
    subject: false,
  },
  sql_write: {
    // "an update on the deal", "any updates on IXIS" ask for its status: the noun is not a request to write.
    text: /\b(?<!\b(?:an|any|status|quick|latest)\s)(update(?!s?\s+(?:on|about)\b)|set|change|edit|log|record|mark|move)\b/iu,
    terms: new Set(['update', 'updat', 'log', 'record', 'mark', 'move']),
    // A write changes one field: the question must name what the skill writes ("next step"), not something else
    // ("forecast") the skill would write into the wrong field.
    subject: true,
  },
};

const kindsOf = (skill: ManifestSkill, tools: ReadonlyMap<string, ManifestTool>): ToolKind[] =>
  skill.steps.map((s) => tools.get(s.tool)?.kind).filter((k): k is ToolKind => k !== undefined && k in SIDE_EFFECTS);

export const hasSideEffects = (skill: ManifestSkill, tools: ReadonlyMap<string, ManifestTool>): boolean => kindsOf(skill, tools).length > 0;

const VERB_TERMS = new Set(Object.values(SIDE_EFFECTS).flatMap((v) => [...v.terms]));
/** Words a write's description shares with every record or system: they say nothing about which field changes. */
const PLAIN = /^(zz[a-z]+|what|who|which|where|when|why|how|crm|salesforce|deal|opportunity|account|record|text)$/u;

/**
 * A question about an action is not a request for it: "should we tell Priya…?", "did anyone update…?", "why didn't
 * we notify…?" ask for advice or for what happened. Only "can / could / would / will you …" asks for it politely.
 */
const ABOUT_AN_ACTION = /^\s*(?:(?:so|and|but|ok|okay|hey|hi|also)\b[\s,]*)*(?:should|shall|did|didn['’]?t|do|does|doesn['’]?t|don['’]?t|has|hasn['’]?t|have|haven['’]?t|had|was|wasn['’]?t|were|is|isn['’]?t|are|aren['’]?t|why|who|whom|when|what|where|which|how|whether|if|must|ought|might|may)\b/iu;

/**
 * Whether the question asks, in so many words, for every kind of change the skill makes; for a write, also whether
 * it names what the skill writes: a term of the skill's description that is not a verb, a name or a word every
 * record shares ("next step" for a next-step update; `skillTerms`, as the engine reads them). A question about an
 * action asks for none, whatever its verbs.
 */
export function asksFor(skill: ManifestSkill, tools: ReadonlyMap<string, ManifestTool>, text: string, terms: string[], skillTerms: string[]): boolean {
  if (ABOUT_AN_ACTION.test(text)) return false;
  return kindsOf(skill, tools).every((k) => {
    const verbs = SIDE_EFFECTS[k]!;
    if (!verbs.text.test(text) && !terms.some((t) => verbs.terms.has(t))) return false;
    if (!verbs.subject) return true;
    const own = new Set(skillTerms.filter((t) => !VERB_TERMS.has(t) && !PLAIN.test(t)));
    return terms.some((t) => own.has(t));
  });
}

/** Whether the question asks for a change or a message in so many words ("ping the deal desk that it slipped"). */
export const asksForAction = (text: string, terms: string[]): boolean =>
  Object.values(SIDE_EFFECTS).some((v) => v.text.test(text) || terms.some((t) => v.terms.has(t)));

/** Nothing with side effects ran: what the agent can change, and how to ask for it. */
export function noActionAsked(skills: ManifestSkill[]): string {
  const can = skills.map((s) => `${(s.description ?? s.name).replace(/\.$/u, '')}${s.examples[0] ? ` (for example "${s.examples[0]}")` : ''}`);
  return "I haven't changed or sent anything: I make a change only when a request asks in so many words for one I can " +
    `make (a question such as "should we …?" or "did anyone …?" asks about one), and this one doesn't. What I can do: ${can.join('; ')}.`;
}
