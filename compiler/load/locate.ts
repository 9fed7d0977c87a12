/**
 * From a path inside a spec (`['skills', 0, 'steps', 1, 'tool']`) to the YAML node's place in the file, so every
 * diagnostic points at the offending node and not at the file. A path that runs past the document (a missing
 * field) stops at the deepest node that exists; a block mapping or list is pointed at by its key.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, Scalar, type YAMLMap } from 'yaml';
import type { Location } from '../diagnostics/diagnostic.ts';
import type { ParsedFile } from './source.ts';

export type PathSegment = string | number;

/** What locating needs of a file: a YAML spec, or a knowledge document's front matter. */
export type LocatableFile = Pick<ParsedFile, 'path' | 'text' | 'doc'>;

interface Found {
  node: Node | null;
  pair?: Pair;
  /** True when every segment of the path was found. */
  complete: boolean;
}

/**
 * Each mapping's entries by key, built on the first lookup: a diagnostic per key of a 10,000-key mapping would
 * otherwise search the mapping once per key. The first entry of a key wins, as a linear search would find it.
 */
const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();

function entryOf(map: YAMLMap, segment: PathSegment): Pair | undefined {
  let index = keyIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key !== undefined && !index.has(key)) index.set(key, pair);
    }
    keyIndexes.set(map, index);
  }
  return index.get(String(segment));
}

function walk(file: LocatableFile, path: readonly PathSegment[]): Found {
  let node = file.doc.contents as Node | null;
  let pair: Pair | undefined;
  for (const segment of path) {
    if (isMap(node)) {
      const next = entryOf(node, segment);
      if (!next) return { node, pair, complete: false };
      pair = next;
      node = next.value as Node | null;
      if (!node) return { node: null, pair, complete: false };
    } else if (isSeq(node)) {
      const next = node.items[Number(segment)] as Node | undefined;
      if (!next) return { node, pair, complete: false };
      pair = undefined;
      node = next;
    } else {
      return { node, pair, complete: false };
    }
  }
  return { node, pair, complete: true };
}

const rangeOf = (file: string, node: Node | null | undefined): Location | undefined =>
  node?.range ? { file, start: node.range[0], length: Math.max(1, node.range[1] - node.range[0]) } : undefined;

const keyOf = (file: string, pair: Pair | undefined): Location | undefined =>
  rangeOf(file, pair?.key as Node | undefined);

/** The node at `path`; `key: true` points at the key of the last mapping entry (for an unknown field). */
export function locate(file: LocatableFile, path: readonly PathSegment[], options: { key?: boolean } = {}): Location {
  const { node, pair } = walk(file, path);
  const fallback = { file: file.path, start: 0, length: 1 };
  if (options.key && pair) return keyOf(file.path, pair) ?? fallback;
  const collection = (isMap(node) || isSeq(node)) && !node.flow;
  if (collection && pair) return keyOf(file.path, pair) ?? fallback;
  if (collection && isMap(node)) return keyOf(file.path, node.items[0]) ?? fallback;
  return rangeOf(file.path, node) ?? keyOf(file.path, pair) ?? fallback;
}

/**
 * A place inside a string value (a `:param` in SQL, a variable in a template): `index` counts characters of the
 * parsed value. Literal block scalars (`|`) and single-line scalars map exactly; anything else (folded text,
 * escapes) falls back to the whole node.
 */
export function locateInString(file: LocatableFile, path: readonly PathSegment[], index: number, length: number): Location {
  const whole = locate(file, path);
  const { node } = walk(file, path);
  if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return whole;
  const value = node.value;
  const before = value.slice(0, index);
  const row = before.split('\n').length - 1;
  const column = index - (before.lastIndexOf('\n') + 1);
  const [start, end] = node.range;
  if (node.type === Scalar.BLOCK_LITERAL) {
    const lines = file.text.slice(start, end).split('\n');
    const contentLines = lines.slice(1);
    const indent = Math.min(...contentLines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
    let offset = start + lines[0]!.length + 1;
    for (let i = 0; i < row; i++) offset += (contentLines[i]?.length ?? 0) + 1;
    return { file: file.path, start: offset + indent + column, length };
  }
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  if (row === 0 && file.text.slice(start + quoted, start + quoted + value.length) === value) {
    return { file: file.path, start: start + quoted + index, length };
  }
  return whole;
}
