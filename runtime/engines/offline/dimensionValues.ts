/**
 * The values of every string dimension of the metrics layer (regions, segments, owners, accounts…), read with the
 * entity names and cached with them (`dimensionSources`, nameCache.ts), and where a question names one whole. A
 * short list (a region, a stage) is matched as whole words; a long one (owners, accounts) through the engine's name
 * index, over the same packed values as the entity names (an account list is tokenised once for both), binding only a
 * value the question spells out exactly, never a word shared with a longer name ("Enterprise" is a segment, not
 * "Wayne Enterprises").
 */
import type { ManifestDimension, ManifestMetricModel } from '../../../compiler/manifest.ts';
import { type NameColumn, ValueIndex } from './entities.ts';
import { columnValues, type PackedNames, stringAt } from './packedNames.ts';

export interface ValueMention {
  dimension: string;
  value: string;
  from: number;
  to: number;
}

export interface DimensionValues {
  /** Whole values of `model`'s dimensions named in `text`, longest first where they overlap. */
  find(model: ManifestMetricModel, text: string): ValueMention[];
}

/** Lists up to this long are matched word for word; longer ones go through a name index. */
const SHORT_LIST = 200;
const MAX_VALUES = 1_000_000;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/u;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
const wholeWords = (value: string): RegExp =>
  new RegExp(`(?<![\\p{L}\\p{N}])${escape(value).replace(/[\s-]+/gu, '[\\s-]?')}(?![\\p{L}\\p{N}])`, 'giu');

type Matcher = (text: string) => Array<{ value: string; from: number; to: number }>;

function shortMatcher(values: string[]): Matcher {
  const res = values.map((value) => ({ value, re: wholeWords(value) }));
  return (text) => res.flatMap(({ value, re }) => [...text.matchAll(re)].map((m) => ({ value, from: m.index, to: m.index + m[0].length })));
}

function longMatcher(source: string, column: NameColumn): Matcher {
  const index = new ValueIndex(source, column, new Set());
  return (text) => index.find(text).flatMap((m) => {
    // The value spelt out exactly, whatever its case (every such value is among the mention's matches); of several
    // that differ only in case, the last, as a map from lower case to value would keep.
    const typed = m.typed.toLowerCase();
    const exact = m.ids.filter((id) => index.value(id).toLowerCase() === typed);
    return exact.length ? [{ value: index.value(Math.max(...exact)), from: m.from, to: m.to }] : [];
  });
}

/** The `table.column` a string dimension reads, when both are plain identifiers (they are spliced into SQL). */
function sourceOf(model: ManifestMetricModel, d: ManifestDimension): string | undefined {
  const table = d.join ? model.joins[d.join]?.table : model.table;
  return table && IDENTIFIER.test(table) && IDENTIFIER.test(d.column) ? `${table}.${d.column}` : undefined;
}

const stringDimensions = (model: ManifestMetricModel): ManifestDimension[] => model.dimensions.filter((x) => x.type === 'string');

/** The columns whose values `dimensionValues` needs, to be read with the entity names. */
export const dimensionSources = (models: readonly ManifestMetricModel[]): string[] =>
  models.flatMap((model) => stringDimensions(model).flatMap((d) => sourceOf(model, d) ?? []));

/** The dimensions' values, from names read with `dimensionSources` (blank values left out). */
export function dimensionValues(models: readonly ManifestMetricModel[], names: PackedNames): DimensionValues {
  const matchers = new Map<string, Matcher>();
  const keyOf = (model: ManifestMetricModel, d: ManifestDimension): string => `${model.name}.${d.name}`;
  for (const model of models) for (const d of stringDimensions(model)) {
    const source = sourceOf(model, d);
    const ids = source && columnValues(names, source);
    if (!source || !ids) continue;
    const values = ids.subarray(0, MAX_VALUES).filter((id) => stringAt(names.strings, id).trim() !== '');
    matchers.set(keyOf(model, d), values.length <= SHORT_LIST
      ? shortMatcher(Array.from(values, (id) => stringAt(names.strings, id)))
      : longMatcher(source, { names, values }));
  }
  return {
    find(model, text) {
      const found = model.dimensions.flatMap((d) => (matchers.get(keyOf(model, d))?.(text) ?? []).map((m) => ({ dimension: d.name, ...m })));
      return found.sort((a, b) => (b.to - b.from) - (a.to - a.from) || a.from - b.from);
    },
  };
}
