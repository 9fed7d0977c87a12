/**
 * The answer templates' filters besides Liquid's own (compiler/SPEC_FORMAT.md): `money` ($2.1M, $800K, $950),
 * `percent` (75%), `date` (Dec 31, 2025), `days_from_now`, `table` (rows -> Markdown table) and `plural`.
 * Pure functions of their input (and the clock for `days_from_now`); a missing value renders as "n/a", never as a
 * made-up zero.
 */
const MISSING = 'n/a';
const isMissing = (v: unknown): boolean => v === null || v === undefined || v === '';

const trimZero = (s: string): string => s.replace(/\.0$/u, '');

export function money(value: unknown): string {
  if (isMissing(value) || Number.isNaN(Number(value))) return MISSING;
  const n = Number(value);
  const sign = n < 0 ? '-' : '';
  const a = Math.abs(n);
  // Round first, then pick the unit, so 999,950 shows as $1M rather than $1000K.
  const units: Array<[number, string]> = [[1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [size, unit] of units) {
    const scaled = a / size;
    const digits = unit === 'K' && scaled >= 10 ? 0 : 1;
    const rounded = Number(scaled.toFixed(digits));
    if (rounded >= 1 && a >= 1000 && (rounded < 1000 || unit === 'B')) return `${sign}$${trimZero(rounded.toFixed(digits))}${unit}`;
  }
  return `${sign}$${Math.round(a)}`;
}

/** `value` is in percentage points (probability 75 -> "75%"); `digits` decimals, default 0. */
export function percent(value: unknown, digits = 0): string {
  if (isMissing(value) || Number.isNaN(Number(value))) return MISSING;
  return `${trimZero(Number(value).toFixed(Number(digits)))}%`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const parseDay = (value: unknown): Date | undefined => {
  if (isMissing(value)) return undefined;
  const d = value instanceof Date ? value : new Date(String(value).length === 10 ? `${value}T00:00:00Z` : String(value));
  return Number.isNaN(d.getTime()) ? undefined : d;
};

export function date(value: unknown): string {
  const d = parseDay(value);
  return d ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}` : MISSING;
}

/** Whole days from today (UTC) to `value`; negative when it lies in the past. */
export function daysFromNow(value: unknown, now: Date): number | string {
  const d = parseDay(value);
  if (!d) return MISSING;
  const day = (x: Date): number => Date.UTC(x.getUTCFullYear(), x.getUTCMonth(), x.getUTCDate());
  return Math.round((day(d) - day(now)) / 86_400_000);
}

/** `plural(3, 'deal')` -> "3 deals"; an irregular plural is the second argument. */
export function plural(count: unknown, singular: string, pluralForm?: string): string {
  const n = Number(count ?? 0);
  return `${n} ${n === 1 ? singular : (pluralForm ?? `${singular}s`)}`;
}

const CELL_FORMATS: Record<string, (v: unknown) => string> = { money, percent: (v) => percent(v), date };
const header = (column: string): string => {
  const words = column.replace(/_/gu, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
const cell = (v: unknown): string => (isMissing(v) ? MISSING : String(v).replace(/\|/gu, '\\|').replace(/\n/gu, ' '));

/**
 * Rows -> Markdown table. `spec` lists columns, comma separated, each `column` or `column|format` (money, percent,
 * date): `"opportunity_name, amount|money, close_date|date"`. Without a spec, every column of the first row.
 */
export function table(rows: unknown, spec?: string): string {
  const list = Array.isArray(rows) ? (rows as Array<Record<string, unknown>>) : [];
  if (list.length === 0) return '';
  const columns = (spec ? spec.split(',') : Object.keys(list[0]!)).map((entry) => {
    const [name, format] = entry.split('|').map((s) => s.trim());
    const fmt = format ? CELL_FORMATS[format] : undefined;
    if (format && !fmt) throw new Error(`table: unknown column format '${format}' (use ${Object.keys(CELL_FORMATS).join(', ')})`);
    return { name: name!, fmt };
  });
  const lines = [
    `| ${columns.map((c) => header(c.name)).join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...list.map((row) => `| ${columns.map((c) => cell(c.fmt ? c.fmt(row[c.name]) : row[c.name])).join(' | ')} |`),
  ];
  return lines.join('\n');
}
