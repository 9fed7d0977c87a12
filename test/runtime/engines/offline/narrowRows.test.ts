/**
 * A lookup by one name that matches several records puts first the ones the question's other words name (the
 * words are read against the records' own names, since no name index anchors on "Customer 360" alone).
 */
import { describe, expect, it } from 'vitest';
import { narrowByQuestion } from '../../../../runtime/engines/offline/narrowRows.ts';
import type { Question } from '../../../../runtime/engines/offline/question.ts';
import { seededProjectPerFile } from './seedProject.ts';

const question = (text: string, named: string): Question => {
  const from = text.indexOf(named);
  return {
    text, dates: [], numbers: [], unknownNames: [], missing: [], terms: [],
    mentions: [{ source: 'opportunities.account_name', from, to: from + named.length, typed: named, values: [named], bind: named, confidence: 1, exact: true, close: [named], ids: [] }],
  };
};
const deals = ['Observability Pipeline - APAC', 'Real-Time Analytics - APAC - Q3', 'Customer 360 - APAC', 'Real-Time Analytics - APAC - Q4']
  .map((opportunity_name) => ({ opportunity_name, account_name: 'Nova Labs' }));

describe('narrowByQuestion', () => {
  it('brings the record the question names to the front, the rest in their order', () => {
    const rows = narrowByQuestion(deals, 'opportunity_name', question('status of the Customer 360 deal at Nova Labs', 'Nova Labs'));
    expect(rows.map((r) => r.opportunity_name)).toEqual([2, 0, 1, 3].map((i) => deals[i]!.opportunity_name));
  });

  it('keeps the order when no word tells the records apart: one every name holds, or none does', () => {
    for (const text of ['status of the Nova Labs deal', 'status of the APAC deal at Nova Labs']) {
      expect(narrowByQuestion(deals, 'opportunity_name', question(text, 'Nova Labs'))).toEqual(deals);
    }
  });

  it('never reads the bound name itself as a word that picks a record', () => {
    const named = [{ opportunity_name: 'Nova expansion' }, { opportunity_name: 'Other renewal' }];
    expect(narrowByQuestion(named, 'opportunity_name', question('status of the Nova deal', 'Nova'))).toEqual(named);
  });
});

describe('a deal named beside its account, through the offline engine', () => {
  const seeded = seededProjectPerFile();
  const query = async (sql: string) => (await seeded.project.warehouse.query(sql)).rows;

  /** An account with several deals, one of them (not its most recently changed) of the product, and that deal. */
  async function dealOf(product: string): Promise<{ account: string; deal: string }> {
    const rows = await query(`SELECT account_name, opportunity_name FROM opportunities WHERE account_name IN
      (SELECT account_name FROM opportunities GROUP BY account_name HAVING COUNT(*) BETWEEN 3 AND 5) ORDER BY account_name, last_modified_date DESC`);
    const byAccount = new Map<string, string[]>();
    for (const r of rows) byAccount.set(String(r.account_name), [...(byAccount.get(String(r.account_name)) ?? []), String(r.opportunity_name)]);
    const [account, deals] = [...byAccount].find(([, l]) => l.filter((d) => d.startsWith(`${product} - `)).length === 1 && !l[0]!.startsWith(product))!;
    return { account, deal: deals.find((d) => d.startsWith(`${product} - `))! };
  }

  it('"the <product> deal at <account>" is about that deal, not the account\'s most recently changed one', async () => {
    // The most common product's words are in too many deal names for the name index to anchor on; the rarest's
    // are found as a deal name and narrowed by the account beside it.
    const products = await query(`SELECT split_part(opportunity_name, ' - ', 1) AS product, COUNT(*) AS n FROM opportunities WHERE opportunity_name LIKE '% - %' GROUP BY 1 HAVING COUNT(*) >= 10 ORDER BY n DESC, product`);
    for (const product of [String(products[0]!.product), String(products.at(-1)!.product)]) {
      const { account, deal } = await dealOf(product);
      const r = await seeded.ask(`status of the ${product} deal at ${account}`);
      expect(r.answer, product).toContain(`**Deal Status: ${deal}**`);
    }
  });
});
