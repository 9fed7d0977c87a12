/**
 * The seed's IXIS lookup and three pipeline queries (revops-ai-framework-v5.md), verbatim except that the
 * hard-coded Q4 2025 dates become the current quarter's. Shared by the warehouse tests and the benchmark.
 */
import { sampleCalendar } from '../../../runtime/warehouse/sample/sampleClock.ts';

export const ixisLookup = `SELECT
  o.opportunity_name, o.stage_name, o.probability, o.amount, o.close_date, o.owner_name, o.created_date,
  o.last_activity_date, c.name as account_name, c.industry, c.employee_count
FROM opportunities o
LEFT JOIN accounts c ON o.account_id = c.id
WHERE o.opportunity_name ILIKE '%IXIS%'
ORDER BY o.last_modified_date DESC`;

export function pipelineQueries(now: Date): { overview: string; top: string; risk: string } {
  const { quarterStart, quarterEnd } = sampleCalendar(now);
  const quarter = `close_date BETWEEN '${quarterStart}' AND '${quarterEnd}'`;
  return {
    overview: `SELECT
  stage_name, COUNT(*) as deal_count, SUM(amount) as total_value, AVG(probability) as avg_probability,
  SUM(amount * probability / 100) as weighted_value
FROM opportunities
WHERE ${quarter}
  AND is_closed = false
  AND stage_name IN ('Negotiate', 'Proposal', 'Verbal Commit')
GROUP BY stage_name
ORDER BY
  CASE stage_name
    WHEN 'Verbal Commit' THEN 1
    WHEN 'Negotiate' THEN 2
    WHEN 'Proposal' THEN 3
  END`,
    top: `SELECT
  opportunity_name, account_name, amount, probability, stage_name, close_date, owner_name, last_activity_date,
  DATEDIFF('day', CURRENT_DATE, close_date) as days_to_close
FROM opportunities o
LEFT JOIN accounts a ON o.account_id = a.id
WHERE ${quarter}
  AND is_closed = false
  AND amount >= 100000
ORDER BY (amount * probability / 100) DESC
LIMIT 10`,
    risk: `SELECT
  CASE
    WHEN last_activity_date < CURRENT_DATE - INTERVAL 14 DAY
      THEN 'Stale - No Recent Activity'
    WHEN probability < 50 AND stage_name = 'Negotiate'
      THEN 'Low Probability in Late Stage'
    WHEN close_date < CURRENT_DATE + INTERVAL 30 DAY
      AND stage_name NOT IN ('Verbal Commit', 'Closed Won')
      THEN 'Closing Soon - Early Stage'
    ELSE 'On Track'
  END as risk_category,
  COUNT(*) as deal_count,
  SUM(amount) as total_value
FROM opportunities
WHERE ${quarter}
  AND is_closed = false
GROUP BY risk_category
ORDER BY total_value DESC`,
  };
}
