-- Two activities per noise opportunity; the later one falls on the deal's last_activity_date, so the activity log
-- and the staleness the risk query reads agree.
INSERT INTO activities
SELECT
  'ACT' || lpad((o.n * 2 + k)::VARCHAR, 9, '0') AS id,
  o.id, o.account_id, NULL,
  pick(['Call', 'Email', 'Meeting', 'Demo'], o.n * 2 + k, 1) AS activity_type,
  pick(['Intro call', 'Follow-up email', 'Technical deep dive', 'Pricing discussion', 'Benchmark review',
        'Security questionnaire', 'Executive check-in', 'POC kickoff'], o.n * 2 + k, 2) AS subject,
  CASE WHEN k = 0 THEN o.last_activity_date
       ELSE greatest(o.created_date, o.last_activity_date - rint(o.n * 2 + k, 3, 1, 30)::INTEGER) END AS activity_date,
  o.owner_name
FROM (SELECT *, CAST(substr(id, 4) AS BIGINT) AS n FROM opportunities) o, range(2) t(k);
