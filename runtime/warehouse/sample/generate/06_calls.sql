-- Gong-like calls on random noise deals, dated shortly before each deal's last activity. Snowflake comes up in
-- about 40% of calls, as the seed's competitive summary reports ("Snowflake mentioned in 40% of Q4 deal calls").
INSERT INTO calls
WITH picked AS (
  SELECT g,
    'OPP' || lpad((1 + floor(rnd(g, 1) * (SELECT noise_opportunities FROM gen)))::BIGINT::VARCHAR, 8, '0') AS opportunity_id,
    CASE WHEN mention_r < 0.40 THEN pick(['Snowflake', 'Snowflake', 'Snowflake, Databricks', 'Snowflake, BigQuery'], g, 3)
         WHEN mention_r < 0.60 THEN pick(['Databricks', 'BigQuery', 'Redshift', 'ClickHouse'], g, 3)
         ELSE '' END AS competitor_mentions
  FROM (SELECT g, rnd(g, 2) AS mention_r FROM range(1, (SELECT calls FROM gen) + 1) t(g))
)
SELECT
  'CALL' || lpad(p.g::VARCHAR, 8, '0') AS id,
  o.account_id, o.account_name, o.id,
  greatest(o.created_date, o.last_activity_date - rint(p.g, 4, 0, 10)::INTEGER) AS call_date,
  pick(['Discovery call', 'Technical deep dive', 'Benchmark readout', 'Pricing review', 'Executive alignment',
        'Weekly sync'], p.g, 5) AS title,
  o.owner_name || ', ' || pick(['Alex Garcia', 'Maria Rossi', 'Wei Wang', 'Raj Singh', 'Elena Novak', 'Grace Murphy'],
    p.g, 6) AS participants,
  rint(p.g, 7, 15, 60)::INTEGER AS duration_minutes,
  CASE WHEN p.competitor_mentions LIKE 'Snowflake%'
       THEN 'Customer compared query latency and cost with their Snowflake deployment; interested in a benchmark.'
       WHEN p.competitor_mentions <> ''
       THEN 'Customer is also evaluating ' || p.competitor_mentions || '; discussed concurrency and pricing.'
       ELSE pick(['Walked through ingestion options and sub-second dashboard requirements.',
                  'Reviewed POC success criteria and timeline.',
                  'Discussed security review and data residency requirements.'], p.g, 8) END AS summary,
  CASE WHEN p.competitor_mentions LIKE 'Snowflake%'
       THEN '"Our Snowflake bill doubled this year and dashboards still time out at month end."'
       ELSE pick(['"We need answers in under a second for customer-facing dashboards."',
                  '"Can you show this on our own data before we commit?"',
                  '"Legal will want the DPA before procurement starts."'], p.g, 9) END AS transcript_excerpt,
  p.competitor_mentions,
  pick(['Already invested in current solution', 'Already invested in current solution', 'Migration effort',
        'Pricing predictability', 'Security review timeline', NULL], p.g, 10) AS objections,
  pick(['Send benchmark results', 'Schedule follow-up with champion', 'Share pricing proposal',
        'Book security review'], p.g, 11) AS next_steps
FROM picked p JOIN opportunities o ON o.id = p.opportunity_id;
