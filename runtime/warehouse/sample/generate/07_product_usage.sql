-- Twelve months of usage per customer account (Commit and PLG; prospects have none). About 15% decline with low
-- seat use (churn risk), 15% grow towards their seat cap (expansion candidates), the rest hold steady.
INSERT INTO product_usage
WITH customers AS (
  SELECT a, id, segment,
    CASE WHEN rnd(a, 40) < 0.15 THEN 'churn' WHEN rnd(a, 40) < 0.30 THEN 'expand' ELSE 'steady' END AS trend
  FROM (SELECT *, CAST(substr(id, 4) AS BIGINT) AS a FROM accounts)
  WHERE customer_type IN ('Commit', 'PLG') -- runs before 08_named.sql, so every id here is a numbered one
), monthly AS (
  SELECT c.*, m,
    CASE c.segment WHEN 'Enterprise' THEN 200 + rint(a, 41, 0, 800) WHEN 'Mid-Market' THEN 40 + rint(a, 41, 0, 160)
         ELSE 5 + rint(a, 41, 0, 35) END AS seats,
    CASE c.trend WHEN 'churn' THEN 0.75 - m * 0.045 WHEN 'expand' THEN 0.60 + m * 0.034
         ELSE 0.55 + rnd(a * 12 + m, 42) * 0.15 END AS utilisation
  FROM customers c, range(12) t(m)
)
SELECT
  id AS account_id,
  (SELECT usage_start FROM gen) + to_months(m::INTEGER) AS month,
  greatest(1, round(seats * utilisation * (0.95 + rnd(a * 12 + m, 43) * 0.05)))::INTEGER AS active_users,
  (seats * utilisation * rint(a * 12 + m, 44, 300, 900))::BIGINT AS queries_run,
  round(seats * utilisation * (2 + rnd(a * 12 + m, 45) * 6), 1) AS compute_hours,
  seats::INTEGER AS seats_purchased,
  least(seats, greatest(1, round(seats * utilisation)))::INTEGER AS seats_used
FROM monthly;
