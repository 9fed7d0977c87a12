/**
 * Grounding, the one quality measure the exports report (instead of the seed's keyword "quality scores"): the share
 * of figures in the answer (money, percentages, counts, dates) that appear in the tool results of the same
 * conversation. Figures are compared as values with the precision the answer shows them in: "$2.1M" matches
 * 2,134,000 but not 2,500,000; "75%" matches 75 or 0.75; "2025-12-31" and "Dec 31, 2025" match the same date.
 * Derived figures (sums, averages) count as ungrounded on purpose: nothing in the data says them.
 */
import type { TraceEvent } from '../engines/trace.ts';

export interface Figure {
  text: string;
  kind: 'money' | 'percent' | 'count' | 'date';
  /** Numeric value (money, percent, count) or YYYY-MM-DD (date). */
  value: number | string;
  /** Half a unit of the last digit shown: how far the underlying value may be from what was shown. */
  tolerance: number;
}

export interface Grounding {
  /** Grounded share of figures, 0..1; null when the answer states no figures. */
  ratio: number | null;
  figures: number;
  grounded: string[];
  ungrounded: string[];
}

const scale: Record<string, number> = { k: 1e3, thousand: 1e3, m: 1e6, mm: 1e6, million: 1e6, b: 1e9, bn: 1e9, billion: 1e9 };
const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONEY = /\$\s?(\d[\d,]*(?:\.\d+)?)\s?(thousand|million|billion|bn|mm|k|m|b)?\b/gi;
const PERCENT = /(\d+(?:\.\d+)?)\s?%/g;
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})(?:T[\d:.]+Z?)?\b/g;
const NAMED_DATE = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})\b/gi;
const NUMBER = /(?<![\w.$-])(\d[\d,]*(?:\.\d+)?)(?![\w%]|\.\d)/g;

const toNumber = (digits: string): number => Number(digits.replace(/,/g, ''));
const halfUnit = (digits: string): number => {
  const decimals = digits.split('.')[1]?.length ?? 0;
  return 0.5 * 10 ** -decimals;
};

export function extractFigures(answer: string): Figure[] {
  const figures: Figure[] = [];
  let rest = answer;
  const take = (pattern: RegExp, make: (m: RegExpExecArray) => Figure | undefined): void => {
    rest = rest.replace(pattern, (...args) => {
      const match = args.slice(0, -2) as unknown as RegExpExecArray;
      const figure = make(match);
      if (figure) figures.push(figure);
      return ' ';
    });
  };
  take(ISO_DATE, (m) => ({ text: m[0], kind: 'date', value: `${m[1]}-${m[2]}-${m[3]}`, tolerance: 0 }));
  take(NAMED_DATE, (m) => {
    const month = months.indexOf(m[1]!.slice(0, 3).toLowerCase()) + 1;
    return { text: m[0], kind: 'date', value: `${m[3]}-${String(month).padStart(2, '0')}-${m[2]!.padStart(2, '0')}`, tolerance: 0 };
  });
  take(MONEY, (m) => {
    const factor = scale[(m[2] ?? '').toLowerCase()] ?? 1;
    return { text: m[0].trim(), kind: 'money', value: toNumber(m[1]!) * factor, tolerance: halfUnit(m[1]!) * factor };
  });
  take(PERCENT, (m) => ({ text: m[0], kind: 'percent', value: Number(m[1]), tolerance: halfUnit(m[1]!) }));
  // Quarter labels, list markers and bare years are references, not figures read from data.
  rest = rest.replace(/\b(?:Q[1-4]|FY)\s?\d{2,4}\b/gi, ' ').replace(/^\s*\d+[.)]\s/gm, ' ').replace(/\b(?:19|20)\d{2}\b/g, ' ');
  take(NUMBER, (m) => ({ text: m[1]!, kind: 'count', value: toNumber(m[1]!), tolerance: halfUnit(m[1]!) }));
  return figures;
}

/** Every value the tools returned in this conversation: numbers, and figures found inside strings. */
export function toolValues(events: readonly TraceEvent[]): { numbers: number[]; dates: Set<string> } {
  const numbers: number[] = [];
  const dates = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'number' && Number.isFinite(value)) numbers.push(value);
    else if (typeof value === 'string') {
      for (const f of extractFigures(value)) {
        if (f.kind === 'date') dates.add(f.value as string);
        else numbers.push(f.value as number);
      }
      if (/^-?\d+(\.\d+)?$/.test(value.trim())) numbers.push(Number(value));
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') Object.values(value).forEach(visit);
  };
  for (const e of events) {
    if (e.type !== 'tool_result' || !e.ok) continue;
    visit(e.rows ?? []);
    if (e.rowCount !== undefined) numbers.push(e.rowCount);
    if (e.totalRows !== undefined) numbers.push(e.totalRows);
    visit(e.totals ?? {});
    if (e.summary) visit(e.summary);
  }
  return { numbers, dates };
}

export function measureGrounding(answer: string, events: readonly TraceEvent[]): Grounding {
  const figures = extractFigures(answer);
  const { numbers, dates } = toolValues(events);
  const grounded: string[] = [];
  const ungrounded: string[] = [];
  for (const f of figures) {
    const ok = f.kind === 'date'
      ? dates.has(f.value as string)
      : numbers.some((n) => near(n, f) || (f.kind === 'percent' && near(n * 100, f)));
    (ok ? grounded : ungrounded).push(f.text);
  }
  return { ratio: figures.length === 0 ? null : grounded.length / figures.length, figures: figures.length, grounded, ungrounded };
}

const near = (n: number, f: Figure): boolean => Math.abs(n - (f.value as number)) <= f.tolerance + 1e-9;
