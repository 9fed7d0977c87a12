/**
 * The values of every string dimension of the metrics layer (regions, segments, owners, accounts…), loaded once per
 * engine, and where a question names one whole. A short list (a region, a stage) is matched as whole words; a long
 * one (owners, accounts) through the engine's name index, binding only a value the question spells out exactly,
 * never a word shared with a longer name ("Enterprise" is a segment, not "Wayne Enterprises").
 */
import type { ManifestDimension, ManifestMetricModel } from '../../../compiler/manifest.ts';
import type { Warehouse } from '../../warehouse/warehouse.ts';
import { ValueIndex } from './entities.ts';

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

function longMatcher(source: string, values: string[]): Matcher {
  const index = new ValueIndex(source, values, new Set());
  const lower = new Map(values.map((v) => [v.toLowerCase(), v]));
  return (text) => index.find(text).flatMap((m) => {
    const value = lower.get(m.typed.toLowerCase());
    return value ? [{ value, from: m.from, to: m.to }] : [];
  });
}

export async function loadDimensionValues(warehouse: Warehouse, models: readonly ManifestMetricModel[]): Promise<DimensionValues> {
  const matchers = new Map<string, Matcher>();
  const keyOf = (model: ManifestMetricModel, d: ManifestDimension): string => `${model.name}.${d.name}`;
  for (const model of models) for (const d of model.dimensions.filter((x) => x.type === 'string')) {
    const table = d.join ? model.joins[d.join]?.table : model.table;
    if (!table || !IDENTIFIER.test(table) || !IDENTIFIER.test(d.column)) continue;
    const result = await warehouse.query(`SELECT DISTINCT ${d.column} AS v FROM ${table} WHERE ${d.column} IS NOT NULL`, { maxRows: MAX_VALUES });
    const values = result.rows.map((r) => String(r.v)).filter((v) => v.trim() !== '');
    matchers.set(keyOf(model, d), values.length <= SHORT_LIST ? shortMatcher(values) : longMatcher(`${table}.${d.column}`, values));
  }
  return {
    find(model, text) {
      const found = model.dimensions.flatMap((d) => (matchers.get(keyOf(model, d))?.(text) ?? []).map((m) => ({ dimension: d.name, ...m })));
      return found.sort((a, b) => (b.to - b.from) - (a.to - a.from) || a.from - b.from);
    },
  };
}
