/**
 * Bounded queries (issue 10): on the 1,000,000-opportunity sample warehouse, which memory limits still run every
 * shipped sql tool and a set of heavy but legitimate model-written queries, and how long a query that outgrows
 * each limit takes to end with `too_large` (target at the default: under 5 s, against 30 s or more without a
 * limit), shown beside the slowest legitimate query of the same run.
 */
import { createToolbox } from '../../runtime/tools/createToolbox.ts';
import { DEFAULT_MEMORY_LIMIT, openDuckDbWarehouse } from '../../runtime/warehouse/duckdbWarehouse.ts';
import { shippedTools, testContext } from '../support/tools.ts';
import type { BenchPart } from './run.ts';
import { benchWarehouse } from './warehouse.bench.ts';

const LIMITS = [...new Set(['256MB', '512MB', '1GB', DEFAULT_MEMORY_LIMIT])];
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const VALUES: Record<string, string> = {
  deal_name: 'IXIS', account_name: 'IXIS', person_name: 'John Smith', company: 'DataCorp', period_start: day(-365), period_end: day(365),
};

const LEGITIMATE = [
  'SELECT owner_name, stage_name, count(*) AS n, sum(amount) AS total, avg(probability) FROM opportunities GROUP BY ALL ORDER BY total DESC',
  'SELECT account_name, sum(amount) AS total, rank() OVER (ORDER BY sum(amount) DESC) AS r FROM opportunities GROUP BY account_name ORDER BY total DESC LIMIT 50',
  'SELECT o.opportunity_name, count(a.id) AS touches, max(a.activity_date) AS last FROM opportunities o LEFT JOIN activities a ON a.opportunity_id = o.id GROUP BY o.opportunity_name ORDER BY touches DESC LIMIT 20',
  "SELECT date_trunc('month', close_date) AS m, count(DISTINCT account_id) AS accounts, sum(amount) FILTER (WHERE is_won) AS won FROM opportunities GROUP BY 1 ORDER BY 1",
  'SELECT * FROM opportunities ORDER BY amount DESC LIMIT 200',
  'SELECT opportunity_name, amount, row_number() OVER (PARTITION BY owner_name ORDER BY amount DESC) AS r FROM opportunities QUALIFY r <= 3',
  'SELECT c.account_name, count(*) AS calls FROM calls c JOIN opportunities o ON o.id = c.opportunity_id GROUP BY 1 ORDER BY 2 DESC LIMIT 10',
  'SELECT median(amount) AS p50, quantile_cont(amount, 0.9) AS p90 FROM opportunities',
  "SELECT account_id, string_agg(opportunity_name, '; ') AS deals FROM opportunities GROUP BY account_id ORDER BY account_id LIMIT 50",
  'SELECT a.industry, count(DISTINCT o.id) AS deals, sum(o.amount) AS pipeline FROM accounts a JOIN opportunities o ON o.account_id = a.id JOIN activities x ON x.opportunity_id = o.id GROUP BY 1 ORDER BY 3 DESC',
];

/** The red-team pass's statements: 3.0 GB and 27.7 s, and the full 30 s, before; now refused by the guard. */
const RED_TEAM = ["SELECT repeat('x', 1500000000)", 'SELECT count(*) FROM range(1e12)'];

const TOO_LARGE = [
  'SELECT list(o.id || b.id) FROM opportunities o, opportunities b',
  "SELECT string_agg(o.opportunity_name || a.subject, ',') FROM opportunities o, activities a",
];

export const part: BenchPart = {
  order: 2.5,
  title: 'Bounded queries: memory limits on the 1,000,000-opportunity sample warehouse',
  async run(log) {
    const path = await benchWarehouse(1_000_000);
    const tools = await shippedTools();
    for (const memoryLimit of LIMITS) {
      const warehouse = await openDuckDbWarehouse(path, { readOnly: true, memoryLimit });
      try {
        const toolbox = createToolbox(tools, testContext(warehouse));
        const calls = [
          ...tools.filter((t) => t.kind === 'sql').map((t) => ({ name: t.name, params: Object.fromEntries(t.parameters.map((p) => [p.name, VALUES[p.name] ?? 'x'])) })),
          ...LEGITIMATE.map((query, i) => ({ name: `query ${i + 1}`, tool: 'firebolt_sql_query', params: { query } })),
        ];
        const failed: string[] = [];
        let slowest = 0;
        for (const call of calls) {
          const started = performance.now();
          const result = await toolbox.run('tool' in call ? call.tool : call.name, call.params);
          slowest = Math.max(slowest, performance.now() - started);
          if (!result.ok) failed.push(`${call.name}: ${result.error!.code}`);
        }
        log(`${memoryLimit}: ${calls.length - failed.length}/${calls.length} legitimate calls ok, slowest ${slowest.toFixed(0)} ms${failed.length ? `; failed ${failed.join(', ')}` : ''}`);
        for (const query of TOO_LARGE) {
          const started = performance.now();
          const result = await toolbox.run('firebolt_sql_query', { query });
          const elapsed = performance.now() - started;
          log(`  too large at ${memoryLimit}: ${result.error?.code ?? 'ok'} in ${elapsed.toFixed(0)} ms (target < 5000 ms; ${(elapsed / slowest).toFixed(1)}x the slowest legitimate call): ${query}`);
        }
        if (memoryLimit !== DEFAULT_MEMORY_LIMIT) continue;
        for (const query of RED_TEAM) {
          const started = performance.now();
          const result = await toolbox.run('firebolt_sql_query', { query });
          log(`  red-team statement: ${result.error?.code ?? 'ok'} in ${(performance.now() - started).toFixed(1)} ms: ${query}`);
        }
      } finally {
        await warehouse.close();
      }
    }
  },
};
