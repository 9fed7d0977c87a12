/**
 * Values that grow. DuckDB's memory limit does not cover one value being built (Firebolt has no limit of ours at
 * all), so a query that doubles a value at every level runs to gigabytes from a short literal: 26 nested `hex` calls
 * built 1 GiB per value under a 512MB limit, and `replace`, `to_base64`, `url_encode`, `concat`, `||`, list
 * constructors and `list_reduce(…, (acc, x) -> acc || acc)` all do the same.
 *
 * Which growing expression feeds which cannot be told from tokens: DuckDB lets a SELECT item read an alias defined
 * before it in the same list (`x || x AS a, a || a AS b`), and subqueries and common table expressions chain too.
 * So every place that can make a value longer than its inputs gets a factor (how many times longer it can make it),
 * and the factors of the whole query are multiplied, as if each fed the next: that product bounds any value the
 * query builds, relative to its largest input (a literal of at most 20,000 characters, or a warehouse value). It
 * may be at most MAX_GROWTH. Where nothing bounds the factor the construct is refused outright: a recursive common
 * table expression (a loop, like the generators readQueryFunctions.ts leaves out) and a replacement that is not a
 * literal (`replace(x, 'a', x)` squares). Aggregates (`string_agg`, `list`) grow by one input per row read, which
 * the timeout bounds, so they count once.
 */
import { type Refusal, refusal } from './refusal.ts';
import type { Token } from './sqlLexer.ts';

/** A thousandfold: a 20,000-character literal can become 20 MB, never gigabytes; ten nested doublings. */
export const MAX_GROWTH = 1024;

/** Functions that multiply their input by at most this much (escaping, encoding, per-element list overhead). */
const SCALING: Readonly<Record<string, number>> = {
  hex: 2, to_base64: 2, base64: 2, url_encode: 3, regexp_escape: 2, to_json: 6, strip_accents: 3, nfc_normalize: 3,
  list_string_agg: 2, array_to_string_comma_default: 2,
  // A list of the characters of a string holds each in an element of 16 bytes.
  string_split: 16, str_split: 16, string_to_array: 16, split: 16, regexp_split_to_array: 16, regexp_extract_all: 16,
};

/** Functions whose result holds each argument (once): as long as all their arguments that are not literals together. */
const COMBINING = new Set([
  'concat', 'concat_ws', 'list_concat', 'list_cat', 'array_concat', 'array_cat', 'list_append', 'array_append',
  'list_prepend', 'array_prepend', 'list_value', 'array_value', 'list_pack', 'struct_pack', 'row', 'map',
  'array_zip', 'list_zip',
]);

/** Combining, and every value JSON-escaped (a control character becomes six). */
const JSON_COMBINING = new Set(['json_object', 'json_array']);

/** Operators of higher precedence than `||`, which would make a literal before them part of a larger operand. */
const BINDS_TIGHTER = new Set(['+', '-', '*', '/', '%', '^']);

interface Site {
  token: Token;
  what: string;
  factor: number;
}

const isPunct = (token: Token | undefined, value: string): boolean => token?.kind === 'punct' && token.value === value;
const isLiteral = (token: Token | undefined): boolean => token?.kind === 'string' || token?.kind === 'number';
/** An argument of nothing but literals and operators reads no value, so it adds at most its own length. */
const isConstant = (tokens: readonly Token[]): boolean => tokens.every((t) => t.kind !== 'word' && t.kind !== 'identifier' && t.kind !== 'parameter');
const nonConstant = (args: Token[][]): number => Math.max(1, args.filter((a) => a.length > 0 && !isConstant(a)).length);

/** A plain `'…'` literal's text; undefined for anything else (a column, an expression, an escape string). */
function literalText(args: readonly Token[]): string | undefined {
  const [only] = args;
  if (args.length !== 1 || only?.kind !== 'string' || !only.value.startsWith("'")) return undefined;
  return only.value.slice(1, -1).replaceAll("''", "'");
}

/** The items between `open` and its matching closer, split at their own commas; '(', '[' and '{' nest. */
function items(tokens: readonly Token[], open: number): Token[][] {
  const out: Token[][] = [[]];
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const opens = isPunct(token, '(') || (token.kind === 'operator' && (token.value === '[' || token.value === '{'));
    const closes = isPunct(token, ')') || (token.kind === 'operator' && (token.value === ']' || token.value === '}'));
    if (opens && depth++ === 0) continue;
    if (closes && --depth === 0) break;
    if (isPunct(token, ',') && depth === 1) out.push([]);
    else out[out.length - 1]!.push(token);
  }
  return out;
}

/** How many times longer `replace`/`regexp_replace` can make its input; 1 when it cannot grow it. */
function replacementFactor(name: string, args: Token[][]): number {
  const search = literalText(args[1] ?? []);
  const replacement = literalText(args[2] ?? []);
  if (replacement === undefined) return Number.POSITIVE_INFINITY;
  // A pattern may match the empty string between characters, and \1 copies at most what matched.
  if (name === 'regexp_replace') return replacement === '' ? 1 : replacement.length + 1;
  if (search === undefined || search === '') return replacement.length + 1;
  return Math.max(1, Math.ceil(replacement.length / search.length));
}

function callFactor(name: string, args: Token[][]): number | undefined {
  if (name === 'replace' || name === 'regexp_replace') return replacementFactor(name, args);
  if (name === 'array_to_string') {
    const separator = literalText(args[1] ?? []);
    return separator === undefined ? Number.POSITIVE_INFINITY : separator.length + 2;
  }
  if (name === 'strftime' || name === 'to_char') return isConstant(args[1] ?? []) ? undefined : 5;
  if (COMBINING.has(name)) return nonConstant(args);
  if (JSON_COMBINING.has(name)) return 6 * nonConstant(args);
  return SCALING[name];
}

/** `||`, whose right operand adds nothing that grows when it is a plain literal (a chain is left-associative). */
function concatenationFactor(tokens: readonly Token[], second: number): number {
  const operand = tokens[second + 1];
  const after = tokens[second + 2];
  return isLiteral(operand) && !(after?.kind === 'operator' && BINDS_TIGHTER.has(after.value)) ? 1 : 2;
}

/**
 * `[a, b]` and `{'k': v}` build a list or struct. A `[` after a value subscripts it instead, which a keyword before
 * a list (`SELECT [a, b]`) does not tell apart from a column; a subscript has one item, so it counts as no growth.
 */
const isConstructor = (token: Token): boolean => token.kind === 'operator' && (token.value === '[' || token.value === '{');

function sites(tokens: readonly Token[], isCall: (index: number) => boolean): Site[] {
  const out: Site[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const next = tokens[i + 1];
    if (token.kind === 'word' && token.value === 'RECURSIVE') {
      out.push({ token, what: 'WITH RECURSIVE', factor: Number.POSITIVE_INFINITY });
    } else if (token.kind === 'operator' && token.value === '|' && next?.kind === 'operator' && next.value === '|' && next.start === token.start + 1) {
      out.push({ token, what: "'||'", factor: concatenationFactor(tokens, i + 1) });
      i += 1;
    } else if (isConstructor(token)) {
      out.push({ token, what: `'${token.value}…'`, factor: nonConstant(items(tokens, i)) });
    } else if ((token.kind === 'word' || token.kind === 'identifier') && isCall(i)) {
      const name = token.value.toLowerCase();
      const factor = callFactor(name, items(tokens, i + 1));
      if (factor !== undefined) out.push({ token, what: name, factor });
    }
  }
  return out.filter((s) => s.factor > 1);
}

const where = (s: Site): string => `${s.what} at position ${s.token.start + 1}`;

export function checkTextGrowth(tokens: readonly Token[], isCall: (index: number) => boolean): Refusal | undefined {
  const growing = sites(tokens, isCall);
  const unbounded = growing.find((s) => s.factor === Number.POSITIVE_INFINITY);
  if (unbounded?.what === 'WITH RECURSIVE') {
    return refusal(unbounded.token, `WITH RECURSIVE at position ${unbounded.token.start + 1} repeats its query with no bound on rows or on how long values grow; write the query without recursion.`);
  }
  if (unbounded) {
    return refusal(unbounded.token, `Function ${where(unbounded)} has a replacement or separator that is not a literal, so nothing bounds how long its result grows; write it as a '…' literal.`);
  }
  let product = 1;
  for (const [n, site] of growing.entries()) {
    product *= site.factor;
    if (product > MAX_GROWTH) {
      const chain = growing.slice(0, n + 1).map((s) => `${where(s)} ×${s.factor}`).join(', ');
      return refusal(site.token, `The query could make a value more than ${MAX_GROWTH} times longer than its inputs (${chain}), `
        + 'and one value being built is not bounded by the memory limit. Nest or chain fewer functions that lengthen text or lists.');
    }
  }
  return undefined;
}
