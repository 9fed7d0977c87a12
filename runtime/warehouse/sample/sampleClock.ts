/**
 * The sample data's notion of "now". The generator places every date relative to it (calendar quarters, as the
 * original system used), so "deals closing this quarter" always has answers; `REVOPS_NOW` pins it for tests and
 * benchmarks so two runs produce identical data.
 */
const DAY = 86_400_000;
const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** `REVOPS_NOW` (an ISO 8601 date or date-time) when set, else the real clock. */
export function sampleNow(env: Record<string, string | undefined>): Date {
  const pinned = env.REVOPS_NOW?.trim();
  if (!pinned) return new Date();
  const now = new Date(pinned);
  if (!/^\d{4}-\d{2}-\d{2}/.test(pinned) || Number.isNaN(now.getTime())) {
    throw new Error(`REVOPS_NOW must be an ISO 8601 date such as 2025-11-14 or 2025-11-14T09:00:00Z; got '${pinned}'`);
  }
  return now;
}

/** The dates the generator anchors on, as `YYYY-MM-DD` (UTC). */
export interface SampleCalendar {
  today: string;
  quarterStart: string;
  quarterEnd: string;
  nextQuarterStart: string;
  nextQuarterEnd: string;
  /** Monday of the current ISO week: "MQLs this week" fall between it and today. */
  weekStart: string;
  /** First day of the month eleven months back: product usage covers twelve months up to this one. */
  usageStart: string;
}

export function sampleCalendar(now: Date): SampleCalendar {
  const y = now.getUTCFullYear();
  const q = Math.floor(now.getUTCMonth() / 3) * 3;
  const today = Date.UTC(y, now.getUTCMonth(), now.getUTCDate());
  const weekday = (now.getUTCDay() + 6) % 7; // Monday = 0
  return {
    today: iso(today),
    quarterStart: iso(Date.UTC(y, q, 1)),
    quarterEnd: iso(Date.UTC(y, q + 3, 0)),
    nextQuarterStart: iso(Date.UTC(y, q + 3, 1)),
    nextQuarterEnd: iso(Date.UTC(y, q + 6, 0)),
    weekStart: iso(today - weekday * DAY),
    usageStart: iso(Date.UTC(y, now.getUTCMonth() - 11, 1)),
  };
}
