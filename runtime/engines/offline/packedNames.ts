/**
 * The entity names in the form the name index searches and the cache stores (nameCache.ts): a few typed arrays and
 * two long strings instead of hundreds of thousands of small objects, so loading a million opportunities' names is
 * reading a file, not building (and garbage-collecting) a heap of strings, sets and maps. Each distinct value is
 * kept and tokenised once, however many columns hold it: the same ~100,000 account names sit in four columns at
 * that scale (accounts.name and each table's account_name), which each refer to them by number.
 */
import type { EntityNames } from './readEntityNames.ts';
import { tokenize } from './text.ts';

/** Lists of numbers in one array: list i is `items[offsets[i]] .. items[offsets[i + 1] - 1]`. */
export interface IntLists {
  offsets: Int32Array;
  items: Int32Array;
}

/** Strings in one: string i is `text.slice(offsets[i], offsets[i + 1])` (offsets in UTF-16 code units). */
export interface StringList {
  text: string;
  offsets: Int32Array;
}

export interface PackedTable {
  table: string;
  columns: string[];
  /** Per column, its distinct values (index = value id, the warehouse's sort order) as ids into `strings`. */
  values: Int32Array[];
  /**
   * `i:j` (i < j) -> for each value id of column i, the ids of column j's values sharing a row with it (ascending);
   * `j:i` is the same pairs the other way round (`invertLists`), made only when a question needs it.
   */
  partners: Record<string, IntLists>;
}

export interface PackedNames {
  /** Every distinct value of every column, once. */
  strings: StringList;
  /** Every distinct word of those values (the tokens' `norm`), sorted, so a word is found by binary search. */
  words: StringList;
  /** For each string, the ids of its distinct words in the order they occur. */
  wordsOf: IntLists;
  tables: PackedTable[];
  /** `table.column` -> distinct values as ids into `strings`, of the columns read for their values alone. */
  valueColumns: Record<string, Int32Array>;
}

export const listCount = (lists: { offsets: Int32Array }): number => lists.offsets.length - 1;

export const stringAt = (list: StringList, i: number): string => list.text.slice(list.offsets[i]!, list.offsets[i + 1]!);

export const listAt = (lists: IntLists, i: number): Int32Array => lists.items.subarray(lists.offsets[i]!, lists.offsets[i + 1]!);

/** The distinct values (ids into `strings`) of `table.column`, a name column or a value column; undefined if not read. */
export function columnValues(names: PackedNames, source: string): Int32Array | undefined {
  const [table, column] = source.split('.');
  const t = names.tables.find((x) => x.table === table);
  const i = t ? t.columns.indexOf(column!) : -1;
  return i >= 0 ? t!.values[i] : names.valueColumns[source];
}

function packStrings(strings: readonly string[]): StringList {
  const offsets = new Int32Array(strings.length + 1);
  for (let i = 0; i < strings.length; i++) offsets[i + 1] = offsets[i]! + strings[i]!.length;
  return { text: strings.join(''), offsets };
}

function packLists(lists: ReadonlyArray<ArrayLike<number>>): IntLists {
  const offsets = new Int32Array(lists.length + 1);
  for (let i = 0; i < lists.length; i++) offsets[i + 1] = offsets[i]! + lists[i]!.length;
  const items = new Int32Array(offsets[lists.length]!);
  for (let i = 0; i < lists.length; i++) items.set(lists[i]!, offsets[i]!);
  return { offsets, items };
}

const isForward = (pair: string): boolean => {
  const [i, j] = pair.split(':').map(Number);
  return i! < j!;
};

/** The pairs of `lists` the other way round: for each of `count` items, the lists holding it (ascending). */
export function invertLists(lists: IntLists, count: number): IntLists {
  const offsets = new Int32Array(count + 1);
  for (const item of lists.items) offsets[item + 1]!++;
  for (let i = 0; i < count; i++) offsets[i + 1]! += offsets[i]!;
  const next = offsets.slice(0, count);
  const items = new Int32Array(lists.items.length);
  for (let list = 0; list < listCount(lists); list++) {
    for (let k = lists.offsets[list]!; k < lists.offsets[list + 1]!; k++) items[next[lists.items[k]!]!++] = list;
  }
  return { offsets, items };
}

/** Packs names read from the warehouse; partner lists are sorted, so the same names always pack the same. */
export function packNames(names: EntityNames): PackedNames {
  const stringIds = new Map<string, number>();
  const strings: string[] = [];
  const idsOf = (column: string[]): Int32Array => Int32Array.from(column, (value) => {
    let id = stringIds.get(value);
    if (id === undefined) stringIds.set(value, (id = strings.push(value) - 1));
    return id;
  });
  const tables = names.tables.map(({ table, columns, values, partners }): PackedTable => ({
    table,
    columns,
    values: values.map(idsOf),
    partners: Object.fromEntries(Object.entries(partners).filter(([pair]) => isForward(pair)).map(([pair, lists]) =>
      [pair, packLists(lists.map((l) => Int32Array.from(l).sort()))])),
  }));
  const valueColumns = Object.fromEntries(Object.entries(names.valueColumns).map(([source, values]) => [source, idsOf(values)]));
  const normsOf = strings.map((s) => [...new Set(tokenize(s).map((t) => t.norm))]);
  const words = [...new Set(normsOf.flat())].sort();
  const wordIds = new Map(words.map((w, i) => [w, i]));
  return {
    strings: packStrings(strings),
    words: packStrings(words),
    wordsOf: packLists(normsOf.map((norms) => norms.map((w) => wordIds.get(w)!))),
    tables,
    valueColumns,
  };
}
