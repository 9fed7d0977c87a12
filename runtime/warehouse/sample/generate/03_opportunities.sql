-- Noise opportunities. The close date is a non-decreasing function of the row number (an inverse CDF over four
-- periods), so rows land on disk in close_date order without a sort and DuckDB's per-row-group min/max lets the
-- quarter filters skip most of the table at 1,000,000 rows. Periods: the past year 40% (mostly closed, 10% still
-- open and overdue), the rest of this quarter 25%, next quarter 20%, the six months after 15%. Open deals' weighted
-- value stays under $390K, so the seed's top three (IXIS, DataCorp Expansion, TechFlow Migration) remain the top
-- three at every scale. Planted noise: stale deals (last activity 15-75 days ago), Negotiate deals at 25-45%,
-- early-stage deals closing within 30 days.
INSERT INTO opportunities
WITH base AS (
  SELECT i, 1 + floor(rnd(i, 1) * g.accounts)::BIGINT AS a, (i - 1) / g.noise_opportunities AS u,
    rnd(i, 2) AS stage_r, rnd(i, 3) AS probability_r, rnd(i, 9) AS stale_r, rnd(i, 14) AS type_r, g.*
  FROM range(1, (SELECT noise_opportunities FROM gen) + 1) t(i), gen g
), dated AS (
  SELECT *,
    CASE
      WHEN u < 0.40 THEN today - 365 + floor(u / 0.40 * 365)::INTEGER
      WHEN u < 0.65 THEN today + floor((u - 0.40) / 0.25 * (quarter_end - today + 1))::INTEGER
      WHEN u < 0.85 THEN next_quarter_start + floor((u - 0.65) / 0.20 * (next_quarter_end - next_quarter_start + 1))::INTEGER
      ELSE next_quarter_end + 1 + floor((u - 0.85) / 0.15 * 180)::INTEGER
    END AS close_date
  FROM base
), staged AS (
  SELECT *,
    CASE
      WHEN close_date < today THEN CASE WHEN stage_r < 0.45 THEN 'Closed Won' WHEN stage_r < 0.90 THEN 'Closed Lost'
                                        WHEN stage_r < 0.95 THEN 'Negotiate' ELSE 'Proposal' END
      WHEN close_date <= quarter_end THEN
        CASE WHEN stage_r < 0.12 THEN 'Discover' WHEN stage_r < 0.30 THEN 'Proof of Concept' WHEN stage_r < 0.55 THEN 'Proposal'
             WHEN stage_r < 0.83 THEN 'Negotiate' ELSE 'Verbal Commit' END
      ELSE CASE WHEN stage_r < 0.30 THEN 'Discover' WHEN stage_r < 0.55 THEN 'Proof of Concept' WHEN stage_r < 0.75 THEN 'Proposal'
                WHEN stage_r < 0.92 THEN 'Negotiate' ELSE 'Verbal Commit' END
    END AS stage_name,
    account_segment(a) AS segment
  FROM dated
), scored AS (
  SELECT *,
    stage_name IN ('Closed Won', 'Closed Lost') AS is_closed,
    -- Stage probabilities: Discover 10, Proof of Concept 40, Proposal 50, Negotiate 75, Verbal Commit 80.
    CASE stage_name WHEN 'Discover' THEN 10 WHEN 'Proof of Concept' THEN 40 WHEN 'Proposal' THEN 50
         WHEN 'Negotiate' THEN 75 WHEN 'Verbal Commit' THEN 80 WHEN 'Closed Won' THEN 100 ELSE 0 END AS stage_probability,
    CASE stage_name WHEN 'Discover' THEN 0 WHEN 'Proof of Concept' THEN 1 WHEN 'Proposal' THEN 1
         WHEN 'Negotiate' THEN 2 WHEN 'Verbal Commit' THEN 3 WHEN 'Closed Won' THEN 3 ELSE 1 END AS maturity,
    CASE segment WHEN 'Enterprise' THEN [100000, 450000] WHEN 'Mid-Market' THEN [30000, 180000]
         ELSE [5000, 50000] END AS amount_range,
    least(today, close_date - rint(i, 7, 20, 270)::INTEGER) AS created_date
  FROM staged
), active AS (
  SELECT *,
    CASE
      WHEN is_closed THEN stage_probability
      WHEN stage_name = 'Negotiate' AND probability_r < 0.15 THEN rint(i, 4, 5, 9)::INTEGER * 5
      WHEN probability_r < 0.20 THEN least(80, greatest(5, stage_probability + pick([-10, -5, 5], i, 4)))
      ELSE stage_probability
    END AS probability,
    greatest(created_date, CASE
      WHEN is_closed THEN close_date - rint(i, 8, 0, 10)::INTEGER
      WHEN stale_r < 0.25 THEN today - rint(i, 8, 15, 75)::INTEGER
      ELSE today - rint(i, 8, 0, 14)::INTEGER END) AS last_activity_date,
    least(3, greatest(0, maturity + rint(i, 20, -1, 1)))::INTEGER AS s_metrics,
    least(3, greatest(0, maturity + rint(i, 21, -1, 1)))::INTEGER AS s_buyer,
    least(3, greatest(0, maturity + rint(i, 22, -1, 1)))::INTEGER AS s_criteria,
    least(3, greatest(0, maturity + rint(i, 23, -1, 1)))::INTEGER AS s_process,
    least(3, greatest(0, maturity + rint(i, 24, -1, 1)))::INTEGER AS s_paper,
    least(3, greatest(0, maturity + rint(i, 25, -1, 1)))::INTEGER AS s_pain,
    least(3, greatest(0, maturity + rint(i, 26, -1, 1)))::INTEGER AS s_champion,
    least(3, greatest(0, maturity + rint(i, 27, -1, 1)))::INTEGER AS s_competition
  FROM scored
)
SELECT
  'OPP' || lpad(i::VARCHAR, 8, '0') AS id,
  -- Product, region and close quarter, as many CRMs name deals: a few hundred distinct names, so DuckDB stores the
  -- column dictionary-encoded and evaluates a name filter (the deal lookup's ILIKE) once per distinct value.
  pick(['Real-Time Analytics', 'Platform Expansion', 'Warehouse Modernisation', 'Cost Optimisation', 'Customer 360',
    'Streaming Ingestion', 'BI Acceleration', 'AI Feature Store', 'Annual Renewal', 'Self-Serve Analytics',
    'Observability Pipeline', 'Embedded Analytics'], i, 10) || ' - ' || account_region(a) || ' - Q' ||
    quarter(close_date)::VARCHAR || ' FY' || lpad((year(close_date) % 100)::VARCHAR, 2, '0') AS opportunity_name,
  account_id(a) AS account_id,
  account_name(a) AS account_name,
  stage_name,
  probability,
  (amount_range[1] + floor(rnd(i, 11) * rnd(i, 11) * (amount_range[2] - amount_range[1]) / 500) * 500)::BIGINT AS amount,
  close_date,
  pick(['Sarah Johnson', 'Michael Chen', 'Priya Patel', 'David Kim', 'Emily Rodriguez', 'James Wilson',
        'Olivia Martinez', 'Daniel Lee', 'Sophia Nguyen', 'Matthew Brown', 'Ava Thompson', 'Ethan Garcia',
        'Isabella Clark', 'Noah Lewis', 'Mia Walker', 'Lucas Hall'], i, 12) AS owner_name,
  created_date,
  last_activity_date,
  last_activity_date + to_minutes(rint(i, 13, 8 * 60, 18 * 60)) AS last_modified_date,
  is_closed,
  stage_name = 'Closed Won' AS is_won,
  CASE stage_name WHEN 'Verbal Commit' THEN 'Commit' WHEN 'Negotiate' THEN 'Best Case' WHEN 'Closed Won' THEN 'Closed'
       WHEN 'Closed Lost' THEN 'Omitted' ELSE 'Pipeline' END AS forecast_category,
  segment,
  CASE WHEN type_r < 0.60 THEN 'New Business' WHEN type_r < 0.90 THEN 'Expansion' ELSE 'Renewal' END AS opportunity_type,
  CASE WHEN is_closed THEN NULL ELSE pick(['Schedule technical deep dive', 'Send pricing proposal',
    'Security review with IT', 'Confirm budget with finance', 'Run benchmark on customer data',
    'Executive sponsor call', 'Redline MSA with legal', 'Define success criteria for POC'], i, 15) END AS next_step,
  ['No quantified business case yet', 'Rough savings estimate shared', 'ROI model drafted with champion',
   'Savings validated by customer finance'][s_metrics + 1], s_metrics,
  ['Economic buyer unknown', 'Economic buyer identified, not engaged', 'Economic buyer engaged',
   'Economic buyer engaged, budget approved'][s_buyer + 1], s_buyer,
  ['Criteria not discussed', 'Informal criteria: speed and cost', 'Written criteria shared',
   'Criteria agreed and weighted in our favour'][s_criteria + 1], s_criteria,
  ['Process unknown', 'Technical evaluation first, rest unclear', 'Technical, budget and legal steps mapped',
   'Mutual close plan signed off'][s_process + 1], s_process,
  ['Paper process unknown', 'Procurement contact identified', 'Standard MSA, procurement engaged',
   'Contract in legal review'][s_paper + 1], s_paper,
  ['No clear pain', 'Dashboards slow at peak load', 'Warehouse costs growing faster than usage',
   'Current platform blocks a revenue-critical product'][s_pain + 1], s_pain,
  ['No champion', 'Friendly contact, no influence', 'Team lead advocating internally',
   'Director-level champion selling internally'][s_champion + 1], s_champion,
  pick(['Snowflake incumbent', 'Evaluating Databricks', 'BigQuery in place', 'Redshift legacy cluster',
        'ClickHouse self-hosted', 'No competitor identified'], i, 16), s_competition
FROM active;
