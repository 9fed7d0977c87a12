/**
 * YAML aliases, checked before the document becomes a value: each must name an anchor set before it and outside
 * itself, and all of them together may repeat at most MAX_ALIAS_NODES nodes. An alias bomb (anchors of lists of
 * aliases of lists…) is a few hundred bytes that expand to billions of nodes for every later pass (the schema
 * check, the emitter), and the library's own resolution compares each alias with every anchor before it; this
 * pass is linear in the file and names the alias that crosses the limit.
 */
import { type Alias, isAlias, isCollection, isPair, isScalar, type Node } from 'yaml';
import type { Document } from 'yaml';

/**
 * Nodes all aliases of one file may add. Specs use anchors to share small blocks (a parameter definition, a list
 * of routing examples); 1,000 nodes is eight times what the largest shipped spec holds in all (122) and the
 * number the loader gave the library's maxAliasCount before, while a bomb stops after microseconds of work.
 */
export const MAX_ALIAS_NODES = 1000;

export type AliasProblem =
  | { kind: 'unresolved' | 'cycle'; alias: Alias }
  | { kind: 'limit'; alias: Alias };

export function aliasProblems(doc: Document.Parsed): AliasProblem[] {
  const problems: AliasProblem[] = [];
  /** The latest node carrying each anchor so far, in document order: the node an alias there stands for. */
  const anchors = new Map<string, Node>();
  /** Anchored nodes being walked: an alias to one of them would contain itself. */
  const open = new Set<Node>();
  const sizes = new Map<Node, number>();
  let repeated = 0;

  const sizeOf = (node: unknown): number => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (!target || open.has(target)) {
        problems.push({ kind: target ? 'cycle' : 'unresolved', alias: node });
        return 1;
      }
      const size = sizes.get(target)!;
      if (repeated <= MAX_ALIAS_NODES && (repeated += size) > MAX_ALIAS_NODES) problems.push({ kind: 'limit', alias: node });
      return size;
    }
    if (!isScalar(node) && !isCollection(node)) return 0;
    if (node.anchor) {
      anchors.set(node.anchor, node);
      open.add(node);
    }
    let size = 1;
    if (isCollection(node)) {
      for (const item of node.items) size += isPair(item) ? sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
    }
    if (node.anchor) {
      open.delete(node);
      sizes.set(node, size);
    }
    return size;
  };
  sizeOf(doc.contents);
  return problems;
}
