import { describe, expect, it } from 'vitest';
import { BIND_MIN, ValueIndex } from '../../../../runtime/engines/offline/entities.ts';
import { comparedColumns } from '../../../../runtime/engines/offline/nameColumns.ts';
import { splitRequests } from '../../../../runtime/engines/offline/requests.ts';

const deals = new ValueIndex('opportunities.opportunity_name', [
  'Microsoft Enterprise Analytics Platform', 'IXIS-Snowflake Cost Replacement', 'TechFlow Migration', 'DataCorp',
  'DataCorp Expansion', 'Kestrel Energy', 'Kestrel Systems', 'Observability Pipeline - APAC - Q1 FY25',
], new Set(['deal', 'status', 'pipeline', 'analytics']));
const best = (text: string) => deals.find(text)[0];

describe('how sure a name match is (the near-miss table)', () => {
  it.each([
    ['status of DataCorp', 'DataCorp', 1, true],
    ['status of IXIS', 'IXIS', 0.9, false],
    ['status of Micro', 'Micro', 0.8, false],
    ['status of the Techflw deal', 'Techflw', 0.75, false],
  ])('%s: "%s" at %s', (text, typed, confidence, exact) => {
    expect(best(text)).toMatchObject({ typed, confidence, exact });
    expect(confidence).toBeGreaterThanOrEqual(BIND_MIN);
  });

  it('a typed word that is an ordinary spec word or slang never stands for a longer name word', () => {
    expect(deals.find('pipe next q?')).toEqual([]);
    expect(deals.find('the analytic numbers')).toEqual([]);
  });

  it('lists every value as close as the best one when none is the whole name', () => {
    expect(best('status of the Kestrel deal')).toMatchObject({ exact: false, close: ['Kestrel Energy', 'Kestrel Systems'] });
    expect(best('status of the Kestrel Energy deal')).toMatchObject({ exact: true, close: ['Kestrel Energy'] });
  });

  it.each(['MQLs', 'ICP', 'ARR', 'QBRs'])('%s is a domain term and matches no value, even a value holding it', (term) => {
    const index = new ValueIndex('accounts.name', [`${term} Labs`, 'Acme'], new Set());
    expect(index.find(`${term} this week`)).toEqual([]);
  });
});

describe('name columns from a tool SQL', () => {
  it('reads every column compared with the placeholder, through table aliases and COALESCE', () => {
    const sql = `SELECT 1 FROM opportunities o LEFT JOIN accounts a ON o.account_id = a.id
      WHERE (o.opportunity_name ILIKE ('%' || :deal || '%') OR o.account_name ILIKE ('%' || :deal || '%'))
        AND COALESCE(a.name, o.account_name, '') ILIKE ('%' || :company || '%') AND o.amount >= :min`;
    expect(comparedColumns(sql, 'deal')).toEqual(['opportunities.opportunity_name', 'opportunities.account_name']);
    expect(comparedColumns(sql, 'company')).toEqual(['accounts.name', 'opportunities.account_name']);
    expect(comparedColumns(sql, 'min')).toEqual([]);
  });

  it('reads an unqualified column when the statement has one table', () => {
    expect(comparedColumns("SELECT * FROM calls WHERE account_name ILIKE ('%' || :a || '%')", 'a')).toEqual(['calls.account_name']);
  });
});

describe('several requests in one message', () => {
  it.each([
    ['status of IXIS and notify Sarah', ['status of IXIS', 'notify Sarah']],
    ['show the pipeline; then score the MQLs', ['show the pipeline', 'score the MQLs']],
    ['What deals are closing this quarter? Also what is the status of DataCorp?', ['What deals are closing this quarter', 'what is the status of DataCorp']],
    ['compare Q3 and Q4 revenue', ['compare Q3 and Q4 revenue']],
    ['which deals are closing this month and what are they worth?', ['which deals are closing this month and what are they worth?']],
    ['assess John Smith from DataCorp and tell me how to reach out', ['assess John Smith from DataCorp and tell me how to reach out']],
    ['send Sarah a notification that IXIS moved to Negotiate', ['send Sarah a notification that IXIS moved to Negotiate']],
    ['what is our win rate this year, how many deals did we lose last quarter, and which customers might churn?',
      ['what is our win rate this year', 'how many deals did we lose last quarter', 'which customers might churn']],
    ['assess John Smith, who is the CTO at DataCorp', ['assess John Smith, who is the CTO at DataCorp']],
    ['top deals, by amount', ['top deals, by amount']],
  ])('%s', (text, parts) => expect(splitRequests(text)).toEqual(parts));
});
