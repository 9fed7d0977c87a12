import { describe, expect, it } from 'vitest';
import { dateContextBlock, fiscalQuarterOf, withDateContext } from '../../../runtime/engines/dateContext.ts';

describe('date context block', () => {
  it('gives weekday and date, UTC time, quarter, month and year (calendar quarters)', () => {
    expect(dateContextBlock(new Date('2025-08-16T16:30:25Z'), 1)).toBe([
      '[Date context]', 'Today: Saturday, 2025-08-16', 'Time: 16:30 UTC', 'Current quarter: Q3 2025, 2025-07-01 to 2025-09-30',
      'Current month: August 2025', 'Current year: 2025',
    ].join('\n'));
  });

  it.each([
    // [now, fiscal start month, quarter, fiscal year, start, end]
    ['2025-12-31T23:59:59Z', 1, 4, 2025, '2025-10-01', '2025-12-31'],
    ['2025-01-01T00:00:00Z', 1, 1, 2025, '2025-01-01', '2025-03-31'],
    ['2025-02-01T00:00:00Z', 2, 1, 2026, '2025-02-01', '2025-04-30'],
    ['2025-01-31T00:00:00Z', 2, 4, 2025, '2024-11-01', '2025-01-31'],
    ['2024-11-14T00:00:00Z', 10, 1, 2025, '2024-10-01', '2024-12-31'],
  ] as const)('%s with the fiscal year starting in month %i is Q%i FY%i (%s to %s)', (now, start, quarter, fiscalYear, from, to) => {
    expect(fiscalQuarterOf(new Date(now), start)).toEqual({ quarter, fiscalYear, start: from, end: to });
  });

  it('labels fiscal quarters as such and puts the block before the words', () => {
    const text = withDateContext('deals closing this quarter', new Date('2025-08-16T16:30:00Z'), 2);
    expect(text).toContain('Current quarter: Q3 FY2026 (fiscal year starts in February), 2025-08-01 to 2025-10-31');
    expect(text.endsWith('\n\ndeals closing this quarter')).toBe(true);
  });
});
