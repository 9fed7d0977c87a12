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

/** A tiny suffix stripper (not Porter): enough to merge plural and -ing/-ed forms of the same word. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3).replace(/(.)\1$/u, '$1');
  if (word.endsWith('ed') && word.length > 4) return word.slice(0, -2).replace(/(.)\1$/u, '$1');
  if (word.endsWith('es') && /(?:ch|sh|x|ss)es$/u.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
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
