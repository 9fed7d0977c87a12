/**
 * Text that grows with every nesting level. DuckDB's memory limit does not cover one value being built, and
 * `replace(x, 'a', 'aa')` doubles its input: seven nested levels built 100 MB in 1.6 s, and each further level
 * doubles again, bounded by nothing but the timeout. A replacement that cannot make text longer (a plain literal no
 * longer than a non-empty search literal; an empty replacement for a pattern) is always fine, and one call that may
 * is too (it grows its input once, by at most the replacement's length); two such calls in one query are refused,
 * whether nested, chained through subqueries or common table expressions.
 */
import type { Token } from './sqlLexer.ts';

const GROWERS = new Set(['replace', 'regexp_replace']);

/** A plain `'…'` literal's text; undefined for anything else (a column, an expression, an escape string). */
function literalText(args: Token[]): string | undefined {
  const [only] = args;
  if (args.length !== 1 || only?.kind !== 'string' || !only.value.startsWith("'")) return undefined;
  return only.value.slice(1, -1).replaceAll("''", "'");
}

/** The arguments of the call whose '(' is at `open`, split at its own commas. */
function callArguments(tokens: Token[], open: number): Token[][] {
  const args: Token[][] = [[]];
  let depth = 0;
  for (let i = open; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const punct = token.kind === 'punct' ? token.value : '';
    if (punct === '(' && depth++ === 0) continue;
    if (punct === ')' && --depth === 0) break;
    if (punct === ',' && depth === 1) args.push([]);
    else args[args.length - 1]!.push(token);
  }
  return args;
}

function mayGrow(name: string, args: Token[][]): boolean {
  const search = literalText(args[1] ?? []);
  const replacement = literalText(args[2] ?? []);
  if (replacement === undefined) return true;
  if (name === 'regexp_replace') return replacement !== ''; // a pattern may match the empty string between characters
  return search === undefined || search === '' || replacement.length > search.length;
}

export function checkTextGrowth(tokens: Token[], isCall: (index: number) => boolean): string | undefined {
  let first: Token | undefined;
  for (let i = 0; i < tokens.length; i += 1) {
    const token = tokens[i]!;
    const name = token.kind === 'word' || token.kind === 'identifier' ? token.value.toLowerCase() : '';
    if (!GROWERS.has(name) || !isCall(i) || !mayGrow(name, callArguments(tokens, i + 1))) continue;
    if (first) {
      return `Function ${name} at position ${token.start + 1} would grow text again after ${first.value.toLowerCase()} at position ${first.start + 1}; `
        + 'a read query may make text longer once (each level can double it). Use one replacement, or replacements no longer than what they replace.';
    }
    first = token;
  }
  return undefined;
}
