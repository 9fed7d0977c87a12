import { describe, expect, it } from 'vitest';
import { date, daysFromNow, money, percent, plural, table } from '../../../../runtime/engines/offline/filters.ts';
import { createTemplateEngine } from '../../../../runtime/engines/offline/template.ts';

describe('money', () => {
  it.each([
    [2_100_000, '$2.1M'], [800_000, '$800K'], [950, '$950'], [999, '$999'], [1_000, '$1K'], [1_500, '$1.5K'],
    [12_345, '$12K'], [999_950, '$1M'], [2_000_000, '$2M'], [12_500_000, '$12.5M'], [1_250_000_000, '$1.3B'],
    [0, '$0'], [-800_000, '-$800K'], ['2100000', '$2.1M'],
    [null, 'n/a'], [undefined, 'n/a'], ['', 'n/a'], ['abc', 'n/a'],
  ])('%s -> %s', (value, expected) => expect(money(value)).toBe(expected));
});

describe('percent', () => {
  it.each([[75, undefined, '75%'], [61.333, undefined, '61%'], [61.333, 1, '61.3%'], [100, 0, '100%'], [0, undefined, '0%'], [null, undefined, 'n/a']])(
    '%s (digits %s) -> %s', (value, digits, expected) => expect(percent(value, digits)).toBe(expected),
  );
});

describe('date, days_from_now, plural', () => {
  const now = new Date('2025-08-16T16:30:00Z');
  it.each([['2025-12-31', 'Dec 31, 2025'], ['2025-01-05T10:00:00Z', 'Jan 5, 2025'], [null, 'n/a'], ['not a date', 'n/a']])(
    'date %s -> %s', (value, expected) => expect(date(value)).toBe(expected),
  );
  it.each([['2025-12-31', 137], ['2025-08-16', 0], ['2025-08-01', -15], [null, 'n/a']])(
    'days_from_now %s -> %s', (value, expected) => expect(daysFromNow(value, now)).toBe(expected),
  );
  it.each([[1, 'deal', undefined, '1 deal'], [3, 'deal', undefined, '3 deals'], [0, 'deal', undefined, '0 deals'], [2, 'opportunity', 'opportunities', '2 opportunities']])(
    'plural %s %s', (n, one, many, expected) => expect(plural(n, one, many)).toBe(expected),
  );
});

describe('table', () => {
  const rows = [{ opportunity_name: 'IXIS | Snowflake', amount: 2_100_000, close_date: '2025-12-31' }, { opportunity_name: 'TechFlow', amount: null, close_date: '2025-11-02' }];
  it('renders chosen columns with formats, escaping pipes and marking missing values', () => {
    expect(table(rows, 'opportunity_name, amount|money, close_date|date')).toBe([
      '| Opportunity name | Amount | Close date |', '| --- | --- | --- |',
      '| IXIS \\| Snowflake | $2.1M | Dec 31, 2025 |', '| TechFlow | n/a | Nov 2, 2025 |'].join('\n'));
  });
  it('renders every column without a spec, and nothing for no rows', () => {
    expect(table(rows).split('\n')[0]).toBe('| Opportunity name | Amount | Close date |');
    expect(table([])).toBe('');
  });
  it('refuses an unknown column format', () => expect(() => table(rows, 'amount|euros')).toThrow(/unknown column format 'euros'/));
});

describe('templates', () => {
  const t = createTemplateEngine(() => new Date('2025-08-16T00:00:00Z'));
  it('renders the filters inside Liquid without escaping Markdown', async () => {
    const out = await t.render('**{{ d.name }}** {{ d.amount | money }} {{ d.p | percent }} <{{ d.close | date }}> {{ d.close | days_from_now }}', {
      d: { name: 'A & B', amount: 2_100_000, p: 75, close: '2025-12-31' },
    });
    expect(out).toBe('**A & B** $2.1M 75% <Dec 31, 2025> 137');
  });
  it('rejects unknown filters when parsing', () => expect(() => t.compile('{{ x | no_such_filter }}')).toThrow(/no_such_filter/));
  it('has no filesystem: include finds nothing', async () => {
    await expect(t.render("{% include '/etc/passwd' %}", {})).rejects.toThrow();
  });
});
