/**
 * Duplicate keys in a mapping, found in one pass with a set per mapping. The YAML library's own check compares each
 * new key with every earlier one (a 10,000-key file took seconds, a 13 MB one never ended), so the loader turns
 * it off (`uniqueKeys: false`) and reports the same error from here, at the repeated key.
 */
import { isCollection, isScalar, type Node, visit } from 'yaml';
import type { Document } from 'yaml';

/**
 * In one walk over the mappings: the repeated keys' nodes, in document order, keys equal as the library compares
 * them (same scalar value); and the keys that are a list or a mapping, which the library would stringify with a
 * warning printed on stderr.
 */
export function keyProblems(doc: Document.Parsed): { repeated: Node[]; collections: Node[] } {
  const repeated: Node[] = [];
  const collections: Node[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (isCollection(key)) collections.push(key);
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) repeated.push(key);
        else seen.add(key.value);
      }
    },
  });
  return { repeated, collections };
}
