/**
 * Words: how the offline engine cuts a question into tokens (with their character offsets, so spans can be masked
 * or quoted back), normalises them and strips the few suffixes that make "deals"/"deal" and "closing"/"close"
 * different words to a bag-of-words model.
 */

export interface Token {
  /** Lower-cased, as typed (no stemming). */
  norm: string;
  /** As typed. */
  raw: string;
  start: number;
  end: number;
}

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’]*/gu;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const raw = m[0].replace(/['’]s$/u, '');
    tokens.push({ raw, norm: raw.toLowerCase(), start: m.index, end: m.index + raw.length });
  }
  return tokens;
}

/** Function words that carry no routing or naming signal. Question words ("who", "which") are kept on purpose. */
export const STOPWORDS: ReadonlySet<string> = new Set(
  ('a an the of for to in on is are was were be been being me my our we i you your us it its this that these those ' +
    'and or with please can could would should will do does did have has had any some there their them they he she ' +
    'his her as by into than then so just also up out about').split(' '),
);

/**
 * A small suffix stripper (Porter's first step, not the whole algorithm): enough to merge plural, -ing and -ed
 * forms of a word. What -ing or -ed took from a stem is put back, so "close", "closes", "closing" and "closed" are
 * one word, as are "update"/"updated" and "stall"/"stalled".
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return restored(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4) return restored(word.slice(0, -2));
  if (word.endsWith('es') && /(?:ch|sh|x|ss)es$/u.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}

const VOWEL = /[aeiou]/u;
/** A stem that lost its letters to -ing/-ed: a doubled consonant undone ("stopp"), a silent e put back ("clos", "updat"). */
function restored(base: string): string {
  if (/(?:at|bl|iz)$/u.test(base)) return `${base}e`;
  if (/([^aeiouylsz])\1$/u.test(base)) return base.slice(0, -1);
  // One vowel between two consonants at the end of a one-syllable stem: "clos", "scor", "pric", "stag".
  const [c1, v, c2] = base.slice(-3);
  const oneSyllable = (base.slice(0, -2).match(/[aeiou]+/gu) ?? []).length === 0;
  if (oneSyllable && c1 && !VOWEL.test(c1) && VOWEL.test(v!) && c2 && !/[aeiouwxy]/u.test(c2)) return `${base}e`;
  return base;
}

/** Edit distance a name token may be off by and still count: none for short words, where one edit is a new word. */
export const typoBudget = (word: string): number => (word.length >= 8 ? 2 : word.length >= 5 ? 1 : 0);

/**
 * Terms of the domain that are never names, whatever the warehouse holds: "MQLs" is not a person, "ARR" not an
 * account. Regions and segments are here too — they qualify a question, they do not name a record.
 */
const DOMAIN_TERMS: ReadonlySet<string> = new Set(
  ('mql sql pql sal icp qbr ebr arr mrr acv tcv nrr grr sdr bdr ae am csm se poc pov rfp rfi sow msa nda eoq eoy eom ' +
    'ytd qtd mtd kpi okr crm cac ltv gtm plg slg roi emea apac latam amer na nam smb mm fy h1 h2 q1 q2 q3 q4 yoy qoq ' +
    'mom wow b2b b2c saas api sla').split(' '),
);

/**
 * Segment words: they qualify a question ("Enterprise pipeline") and are never a name on their own, though a name
 * may hold one ("Microsoft Enterprise Analytics Platform").
 */
export const SEGMENT_WORDS: ReadonlySet<string> = new Set(['enterprise', 'strategic', 'commercial', 'midmarket']);

/** A domain term, in the singular or plural ("MQL", "MQLs", "QBRs"). */
export const isReserved = (word: string): boolean =>
  DOMAIN_TERMS.has(word) || (word.endsWith('s') && DOMAIN_TERMS.has(word.slice(0, -1)));

/**
 * Sales shorthand and action verbs, read as the word the specs use: "pipe" is pipeline, "ping" is notify. Applied
 * to routing examples and questions alike, so a spec never has to list the slang.
 */
export const SLANG: Readonly<Record<string, string>> = {
  pipe: 'pipeline', q: 'quarter', qtr: 'quarter', logo: 'customer', logos: 'customers', rep: 'owner', reps: 'owners',
  opp: 'opportunity', opps: 'opportunities', oppty: 'opportunity', acct: 'account', accts: 'accounts', rev: 'revenue',
  biz: 'business', mtg: 'meeting', exec: 'executive', intel: 'research', info: 'status', ping: 'notify',
  remind: 'notify', message: 'notify', dm: 'notify', alert: 'notify', change: 'update', set: 'update', edit: 'update',
  bookings: 'revenue', booked: 'won',
};

/**
 * Words of one meaning in revenue operations, read as one word for similarity only (names are matched before, so
 * these never change what a name is): a deal is an opportunity, "needs attention" is a risk, the CEO and the
 * founders are a company's leadership. Like the slang, applied to examples and questions alike.
 */
export const SYNONYMS: Readonly<Record<string, string>> = {
  opportunity: 'deal', opportunities: 'deal',
  attention: 'risk', trouble: 'risk', worry: 'risk', worried: 'risk', concern: 'risk', concerning: 'risk', jeopardy: 'risk', danger: 'risk', risky: 'risk', shaky: 'risk', wobbly: 'risk',
  stale: 'stall', stuck: 'stall', idle: 'stall', dormant: 'stall', inactive: 'stall',
  upsell: 'expansion', upsells: 'expansion', expand: 'expansion', expanding: 'expansion', grow: 'expansion', growing: 'expansion',
  cancel: 'churn', cancelling: 'churn', canceling: 'churn', churning: 'churn', churned: 'churn',
  prospect: 'lead', prospects: 'lead', book: 'revenue',
  ceo: 'leadership', cfo: 'leadership', coo: 'leadership', founder: 'leadership', founders: 'leadership', founded: 'leadership', cofounder: 'leadership',
  funding: 'funding', raised: 'funding', raise: 'funding', valuation: 'funding', investors: 'funding', ipo: 'funding',
};

/**
 * Two words that mean one: "what's new with Snowflake" asks for news; "an update on the IXIS deal" asks for its
 * status (the noun, not the verb of "update the next step").
 */
export const PHRASES: Readonly<Record<string, string>> = {
  'what new': 'news', 'an update': 'status', 'any update': 'status', 'any updates': 'status', 'update on': 'status', 'updates on': 'status',
};
