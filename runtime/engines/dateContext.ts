/**
 * The date context block both model engines put before the user's words (Bedrock Agents: in `inputText`;
 * Converse: in the system prompt), as the seed did, so that "this quarter" or "last week" mean something to a
 * model that has no clock. Quarters follow the manifest's `defaults.fiscalYearStartMonth` (1 = calendar quarters);
 * a fiscal year is labelled by the calendar year it ends in, as the offline engine's date parser does.
 */

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

export interface FiscalQuarter {
  /** 1..4 */
  quarter: number;
  /** The calendar year the fiscal year ends in. */
  fiscalYear: number;
  start: string;
  end: string;
}

export function fiscalQuarterOf(now: Date, fiscalYearStartMonth: number): FiscalQuarter {
  const month = now.getUTCMonth();
  const offset = (month - (fiscalYearStartMonth - 1) + 12) % 12;
  const quarter = Math.floor(offset / 3) + 1;
  const fyStartMonthAbs = now.getUTCFullYear() * 12 + month - offset;
  const qStartAbs = fyStartMonthAbs + (quarter - 1) * 3;
  const monthStart = (abs: number): number => Date.UTC(Math.floor(abs / 12), abs % 12, 1);
  const fiscalYear = Math.floor((fyStartMonthAbs + 11) / 12);
  return { quarter, fiscalYear, start: isoDay(monthStart(qStartAbs)), end: isoDay(monthStart(qStartAbs + 3) - 86_400_000) };
}

export function dateContextBlock(now: Date, fiscalYearStartMonth: number): string {
  const q = fiscalQuarterOf(now, fiscalYearStartMonth);
  const calendar = fiscalYearStartMonth === 1;
  const quarterLabel = calendar ? `Q${q.quarter} ${q.fiscalYear}` : `Q${q.quarter} FY${q.fiscalYear} (fiscal year starts in ${MONTHS[fiscalYearStartMonth - 1]})`;
  return [
    '[Date context]',
    `Today: ${WEEKDAYS[now.getUTCDay()]}, ${isoDay(now.getTime())}`,
    `Time: ${now.toISOString().slice(11, 16)} UTC`,
    `Current quarter: ${quarterLabel}, ${q.start} to ${q.end}`,
    `Current month: ${MONTHS[now.getUTCMonth()]} ${now.getUTCFullYear()}`,
    `Current year: ${now.getUTCFullYear()}`,
  ].join('\n');
}

/** The block, a blank line, then the user's words. */
export const withDateContext = (text: string, now: Date, fiscalYearStartMonth: number): string =>
  `${dateContextBlock(now, fiscalYearStartMonth)}\n\n${text}`;
