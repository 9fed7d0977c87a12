/**
 * How deeply a spec's collections nest, read from the library's concrete syntax tree before the document is
 * composed: composing recurses once per level, and a few hundred levels of `[` (or of indented maps) end it with
 * the engine's "Maximum call stack size exceeded". The tree is built without recursion and walked here with a
 * stack of its own, so any depth is measured and the first collection past the limit is named.
 */
import { type CST, Parser } from 'yaml';

/** Levels of lists and mappings a spec may nest: hand-written specs use under ten; 100 leaves room to spare. */
export const MAX_NESTING = 100;

/** A file's syntax tree, parsed once: measured here, then composed into its documents by the caller. */
export const syntaxTree = (text: string): CST.Token[] => [...new Parser().parse(text)];

/** The offset of the first collection nested deeper than MAX_NESTING, or undefined. */
export function tooDeep(tree: readonly CST.Token[]): number | undefined {
  const stack: Array<[CST.Token | undefined, number]> = tree.map((token) => [token, 0]);
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [token, depth] = next;
    if (!token) continue;
    if (token.type === 'document') {
      stack.push([token.value, depth]);
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > MAX_NESTING) return token.offset;
      for (const item of token.items) {
        stack.push([item.value, depth + 1]);
        if ('key' in item) stack.push([item.key ?? undefined, depth + 1]);
      }
    }
  }
  return undefined;
}
