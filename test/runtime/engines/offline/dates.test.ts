import { describe, expect, it } from 'vitest';
import { findDatePhrases, namedRange } from '../../../../runtime/engines/offline/dates.ts';

// Saturday 16 Aug 2025, the seed's own timestamp.
const NOW = new Date('2025-08-16T16:30:00Z');

describe('date phrases against a fixed clock (calendar quarters)', () => {
  it.each([
    ['deals closing this quarter', 'this quarter', '2025-07-01', '2025-09-30'],
    ['pipeline for the current quarter', 'current quarter', '2025-07-01', '2025-09-30'],
    ['stale deals closing next quarter', 'next quarter', '2025-10-01', '2025-12-31'],
    ['won last quarter', 'last quarter', '2025-04-01', '2025-06-30'],
    ['analyze the Q4 pipeline', 'Q4', '2025-10-01', '2025-12-31'],
    ['Q1 bookings', 'Q1', '2025-01-01', '2025-03-31'],
    ['revenue in Q4 2025', 'Q4 2025', '2025-10-01', '2025-12-31'],
    ["q2 '24 results", "q2 '24", '2024-04-01', '2024-06-30'],
    ['MQLs this month', 'this month', '2025-08-01', '2025-08-31'],
    ['closed last month', 'last month', '2025-07-01', '2025-07-31'],
    ['activity in the last 30 days', 'last 30 days', '2025-07-18', '2025-08-16'],
    ['calls in the past 2 weeks', 'past 2 weeks', '2025-08-03', '2025-08-16'],
    ['closing in the next 30 days', 'next 30 days', '2025-08-16', '2025-09-14'],
    ['score our MQL leads from this week', 'this week', '2025-08-11', '2025-08-17'],
    ['new MQLs from last week', 'last week', '2025-08-04', '2025-08-10'],
    ['bookings this year', 'this year', '2025-01-01', '2025-12-31'],
    ['revenue year to date', 'year to date', '2025-01-01', '2025-08-16'],
    ['meetings today', 'today', '2025-08-16', '2025-08-16'],
    ['deals closing in December', 'December', '2025-12-01', '2025-12-31'],
    ['closing on Dec 31', 'Dec 31', '2025-12-31', '2025-12-31'],
    ['deals created since Oct 1', 'Oct 1', '2024-10-01', '2025-08-16'],
    ['bookings since November', 'November', '2024-11-01', '2025-08-16'],
    ['bookings since March 2026', 'March 2026', '2026-03-01', '2025-08-16'],
    ['closing between Oct 1 and Dec 31, 2025', 'Oct 1 and Dec 31, 2025', '2025-10-01', '2025-12-31'],
  ])('%s -> %s', (text, phrase, start, end) => {
    const [span, ...rest] = findDatePhrases(text, NOW);
    expect(rest).toEqual([]);
    expect(span).toMatchObject({ phrase, start, end });
    expect(text.slice(span!.from, span!.to)).toBe(phrase);
  });

  it.each([
    ['revenue for FY25 Q4', 'FY25 Q4', '2025-10-01', '2025-12-31'],
    ['revenue for Q4 FY25', 'Q4 FY25', '2025-10-01', '2025-12-31'],
    ['bookings in Q1 of FY2026', 'Q1 of FY2026', '2026-01-01', '2026-03-31'],
    ['pipeline for H1 2027', 'H1 2027', '2027-01-01', '2027-06-30'],
    ['H2 bookings', 'H2', '2025-07-01', '2025-12-31'],
    ['FY26 H1 plan', 'FY26 H1', '2026-01-01', '2026-06-30'],
    ['the first half of 2026', 'first half of 2026', '2026-01-01', '2026-06-30'],
    ['revenue trend for 2025', '2025', '2025-01-01', '2025-12-31'],
    ['FY2026 targets', 'FY2026', '2026-01-01', '2026-12-31'],
    ['pipe next q?', 'next q', '2025-10-01', '2025-12-31'],
    ['deals this q', 'this q', '2025-07-01', '2025-09-30'],
    ['deals closing by EOQ', 'EOQ', '2025-08-16', '2025-09-30'],
    ['what closes before the end of the quarter', 'end of the quarter', '2025-08-16', '2025-09-30'],
    ['bookings through EOY', 'EOY', '2025-08-16', '2025-12-31'],
    ['revenue since Q2', 'Q2', '2025-04-01', '2025-08-16'],
    ['revenue from Q1 to Q2', 'Q1 to Q2', '2025-01-01', '2025-06-30'],
    ['calls in the last 7 days', 'last 7 days', '2025-08-10', '2025-08-16'],
    ['the next 1 day', 'next 1 day', '2025-08-16', '2025-08-16'],
    ['calls since July 1', 'July 1', '2025-07-01', '2025-08-16'],
    ['deals closing in March', 'March', '2025-03-01', '2025-03-31'],
    ['deals closing in March 2025', 'March 2025', '2025-03-01', '2025-03-31'],
  ])('%s -> %s', (text, phrase, start, end) => {
    const [span, ...rest] = findDatePhrases(text, NOW);
    expect(rest).toEqual([]);
    expect(span).toMatchObject({ phrase, start, end });
  });

  it('reads "last N days" as exactly N days, today included', () => {
    for (const n of [1, 7, 30, 90]) {
      const [span] = findDatePhrases(`calls in the last ${n} days`, NOW);
      const days = (Date.parse(span!.end) - Date.parse(span!.start)) / 86_400_000 + 1;
      expect(days).toBe(n);
    }
  });

  it('keeps two periods apart when the question compares them', () => {
    expect(findDatePhrases('compare Q3 and Q4 revenue', NOW).map((s) => [s.start, s.end])).toEqual([
      ['2025-07-01', '2025-09-30'], ['2025-10-01', '2025-12-31']]);
  });

  it.each(['assess John Smith from DataCorp', 'top 5 deals over $100k', 'what is the status of the IXIS deal?', 'meet at 5 pm',
    'which deals have stalled for 45 days?', 'deals with no activity for 2 weeks'])(
    'finds no date in %s', (text) => expect(findDatePhrases(text, NOW)).toEqual([]),
  );

  it('reads named defaults as specs spell them', () => {
    expect(namedRange('this_quarter', NOW)).toEqual({ start: '2025-07-01', end: '2025-09-30' });
    expect(namedRange('this_week', NOW)).toEqual({ start: '2025-08-11', end: '2025-08-17' });
    expect(namedRange('no_such_period', NOW)).toBeUndefined();
  });
});

describe('fiscal quarters (fiscal year starting in February, labelled by the year it ends in)', () => {
  it.each([
    ['this quarter', '2025-08-01', '2025-10-31'],
    ['next quarter', '2025-11-01', '2026-01-31'],
    ['Q1', '2025-02-01', '2025-04-30'],
    ['Q4 2026', '2025-11-01', '2026-01-31'],
    ['this year', '2025-02-01', '2026-01-31'],
  ])('%s', (text, start, end) => {
    expect(findDatePhrases(text, NOW, 2)[0]).toMatchObject({ start, end });
  });

  it('puts January in the last quarter of the fiscal year that started the February before', () => {
    expect(findDatePhrases('this quarter', new Date('2026-01-10T00:00:00Z'), 2)[0]).toMatchObject({ start: '2025-11-01', end: '2026-01-31' });
  });
});
