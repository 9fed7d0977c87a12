-- Noise contacts and leads: about two per account. First names exclude John and Sarah so the seed's John Smith
-- and Sarah Johnson stay unique. About 1.5% are MQLs from this week (Monday to today).
INSERT INTO contacts
WITH base AS (
  SELECT c,
    1 + floor(rnd(c, 1) * (SELECT accounts FROM gen))::BIGINT AS a,
    pick(['Alex', 'Maria', 'Wei', 'Fatima', 'Lucas', 'Hannah', 'Raj', 'Elena', 'Tomas', 'Grace', 'Omar', 'Chloe',
          'Kenji', 'Laura', 'Diego', 'Nina', 'Samuel', 'Aisha', 'Victor', 'Zoe', 'Marcus', 'Ingrid', 'Pedro', 'Yuki'],
         c, 2) AS first_name,
    pick(['Garcia', 'Müller', 'Wang', 'Okafor', 'Rossi', 'Novak', 'Singh', 'Costa', 'Andersen', 'Dubois', 'Tanaka',
          'Kowalski', 'Haddad', 'Schmidt', 'Silva', 'Ivanova', 'Murphy', 'Kaur', 'Fischer', 'Moreau'], c, 3) AS last_name,
    rnd(c, 4) AS title_r,
    rnd(c, 5) AS status_r
  FROM range(1, (SELECT contacts FROM gen) + 1) t(c)
), titled AS (
  SELECT *,
    CASE WHEN title_r < 0.15 THEN pick(['CTO', 'Chief Data Officer', 'VP Engineering', 'VP Data & Analytics'], c, 6)
         WHEN title_r < 0.50 THEN pick(['Director of Data Engineering', 'Principal Data Engineer', 'Staff Engineer',
                                        'Head of Analytics', 'Data Platform Lead'], c, 6)
         ELSE pick(['Data Analyst', 'Analytics Engineer', 'BI Developer', 'Data Engineer', 'Product Manager'], c, 6)
    END AS title,
    CASE WHEN title_r < 0.15 THEN 'high' WHEN title_r < 0.50 THEN 'medium' ELSE 'low' END AS title_tier,
    CASE WHEN status_r < 0.015 THEN 'MQL' WHEN status_r < 0.10 THEN 'MQL' WHEN status_r < 0.20 THEN 'SQL'
         WHEN status_r < 0.45 THEN 'Nurture' WHEN status_r < 0.55 THEN 'Disqualified'
         WHEN status_r < 0.75 THEN 'Customer' ELSE 'New' END AS lead_status
  FROM base
)
SELECT
  'CON' || lpad(c::VARCHAR, 8, '0') AS id,
  first_name, last_name, first_name || ' ' || last_name AS full_name, title, title_tier,
  lower(first_name || '.' || last_name) || '@' || lower(replace(a.name, ' ', '')) || '.example' AS email,
  a.id AS account_id, a.name AS account_name, lead_status,
  pick(['Webinar', 'Free trial', 'Content download', 'Conference', 'Referral', 'Outbound'], c, 7) AS lead_source,
  CASE WHEN status_r < 0.015 THEN g.week_start + rint(c, 8, 0, g.today - g.week_start)::INTEGER
       WHEN lead_status IN ('MQL', 'SQL', 'Customer') THEN g.week_start - rint(c, 8, 1, 120)::INTEGER END AS mql_date,
  CASE WHEN lead_status IN ('MQL', 'SQL') THEN rint(c, 9, 45, 100) ELSE rint(c, 9, 0, 70) END::INTEGER AS engagement_score,
  g.today - rint(c, 10, 0, 90)::INTEGER AS last_engaged_date,
  'https://www.linkedin.com/in/' || lower(first_name || '-' || last_name) || '-' || c::VARCHAR AS linkedin_url,
  pick(['Attended performance webinar', 'Downloaded cost optimisation guide', 'Started free trial',
        'Hiring data engineers', 'Migrating off on-prem Hadoop', 'Visited pricing page twice', NULL], c, 11) AS recent_activity
FROM titled t
JOIN accounts a ON a.id = account_id(t.a)
CROSS JOIN gen g;
