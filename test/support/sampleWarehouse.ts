/**
 * A small in-memory DuckDB warehouse for tool tests: the sample schema plus a handful of rows the tests reason
 * about (the seed's IXIS deal, DataCorp, TechCorp), dated relative to today so period filters find them.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { type DuckDbWarehouseOptions, openDuckDbWarehouse } from '../../runtime/warehouse/duckdbWarehouse.ts';
import type { Warehouse } from '../../runtime/warehouse/warehouse.ts';

const schemaPath = fileURLToPath(new URL('../../runtime/warehouse/sample/schema.sql', import.meta.url));

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

export const TABLE_COUNTS = { accounts: 3, opportunities: 4, contacts: 2, activities: 1, calls: 3, product_usage: 1 } as const;

/** `path`: a DuckDB file to create instead of an in-memory database. */
export async function openSampleWarehouse(path: string | ':memory:' = ':memory:', options: DuckDbWarehouseOptions = {}): Promise<Warehouse> {
  const warehouse = await openDuckDbWarehouse(path, options);
  const schema = (await readFile(schemaPath, 'utf8')).replace(/--[^\n]*/g, '');
  for (const statement of schema.split(';').map((s) => s.trim()).filter(Boolean)) await warehouse.query(statement);
  const inserts = [
    `INSERT INTO accounts (id, name, industry, employee_count, employee_band, annual_revenue, funding_stage, tech_stack, region, segment, customer_type) VALUES
      ('acc-ixis', 'IXIS Investment Management', 'Financial Services', 1200, '1000-5000', 400000000, 'Public', 'Snowflake, AWS', 'EMEA', 'Enterprise', 'Prospect'),
      ('acc-datacorp', 'DataCorp', 'Software', 350, '200-500', 50000000, 'Series B', 'Snowflake, dbt, Looker, AWS', 'NA', 'Mid-Market', 'Commit'),
      ('acc-techcorp', 'TechCorp', 'Software', 800, '500-1000', 90000000, 'Series C', 'BigQuery', 'NA', 'Enterprise', 'PLG')`,
    `INSERT INTO opportunities (id, opportunity_name, account_id, account_name, stage_name, probability, amount, close_date, owner_name, created_date, last_activity_date, last_modified_date, is_closed, is_won, forecast_category, segment, opportunity_type, next_step) VALUES
      ('opp-ixis', 'IXIS-Snowflake Cost Replacement', 'acc-ixis', 'IXIS Investment Management', 'Negotiate', 75, 2100000, DATE '${day(20)}', 'Sarah Johnson', DATE '${day(-120)}', DATE '${day(-3)}', TIMESTAMP '${day(-1)} 10:00:00', false, false, 'Commit', 'Enterprise', 'New Business', 'Legal review'),
      ('opp-datacorp', 'DataCorp Expansion', 'acc-datacorp', 'DataCorp', 'Verbal Commit', 80, 800000, DATE '${day(30)}', 'Mike Chen', DATE '${day(-90)}', DATE '${day(-20)}', TIMESTAMP '${day(-2)} 10:00:00', false, false, 'Commit', 'Mid-Market', 'Expansion', 'Sign order form'),
      ('opp-techflow', 'TechFlow Migration', 'acc-techcorp', 'TechCorp', 'Negotiate', 65, 600000, DATE '${day(40)}', 'Sarah Johnson', DATE '${day(-60)}', DATE '${day(-30)}', TIMESTAMP '${day(-3)} 10:00:00', false, false, 'Best Case', 'Enterprise', 'New Business', 'Pricing call'),
      ('opp-lost', 'TechCorp Pilot', 'acc-techcorp', 'TechCorp', 'Closed Lost', 0, 50000, DATE '${day(-10)}', 'Mike Chen', DATE '${day(-200)}', DATE '${day(-15)}', TIMESTAMP '${day(-10)} 10:00:00', true, false, 'Omitted', 'Enterprise', 'New Business', NULL)`,
    `INSERT INTO contacts (id, first_name, last_name, full_name, title, title_tier, email, account_id, account_name, lead_status, lead_source, mql_date, engagement_score, last_engaged_date) VALUES
      ('c-john', 'John', 'Smith', 'John Smith', 'VP Data Engineering', 'high', 'john@datacorp.example', 'acc-datacorp', 'DataCorp', 'MQL', 'Webinar', DATE '${day(-2)}', 85, DATE '${day(-1)}'),
      ('c-sarah', 'Sarah', 'Johnson', 'Sarah Johnson', 'Director of Analytics', 'medium', 'sarah@techcorp.example', 'acc-techcorp', 'TechCorp', 'SQL', 'Inbound', DATE '${day(-9)}', 60, DATE '${day(-4)}')`,
    `INSERT INTO activities VALUES ('act-1', 'opp-ixis', 'acc-ixis', NULL, 'Call', 'Pricing review', DATE '${day(-3)}', 'Sarah Johnson')`,
    `INSERT INTO calls VALUES
      ('call-1', 'acc-ixis', 'IXIS Investment Management', 'opp-ixis', DATE '${day(-5)}', 'IXIS pricing deep dive', 'Sarah Johnson, Pierre Martin', 45, 'Cost comparison against Snowflake', 'We spend too much on Snowflake credits', 'Snowflake', 'Migration risk', 'Send TCO model'),
      ('call-2', 'acc-ixis', 'IXIS Investment Management', 'opp-ixis', DATE '${day(-60)}', 'IXIS discovery', 'Sarah Johnson', 30, 'Discovery', 'Intro', '', 'None', 'Schedule demo'),
      ('call-3', 'acc-datacorp', 'DataCorp', 'opp-datacorp', DATE '${day(-2)}', 'DataCorp expansion', 'Mike Chen, John Smith', 30, 'Expansion scope', 'More seats', 'Databricks', 'Budget timing', 'Order form')`,
    `INSERT INTO product_usage VALUES ('acc-datacorp', DATE '${day(-30).slice(0, 8)}01', 40, 12000, 300.5, 50, 45)`,
  ];
  for (const statement of inserts) await warehouse.query(statement);
  return warehouse;
}

/** Row counts of every sample table: proof that nothing was dropped, deleted or inserted. */
export async function tableCounts(warehouse: Warehouse): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of Object.keys(TABLE_COUNTS)) {
    const result = await warehouse.query(`SELECT COUNT(*) AS n FROM ${table}`);
    counts[table] = Number(result.rows[0]!['n']);
  }
  return counts;
}
