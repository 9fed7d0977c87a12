-- The seed's named records, with the seed's figures (revops-ai-framework-v5.md): the IXIS deal and its MEDDPICC
-- answer, DataCorp Expansion, TechFlow Migration, the Microsoft Enterprise and TechCorp deals, John Smith at
-- DataCorp and Sarah Johnson at TechCorp. Dates follow "now": the quarter's deals close on its last day or earlier.
-- Runs after the noise, whose numbered ids never collide with these.
INSERT INTO accounts VALUES
  ('ACC-IXIS', 'IXIS Investment Management', 'Financial Services', 1200, '1000-5000', 900000000, 'Public',
   'Snowflake, dbt, Tableau, AWS', 'EMEA', 'Enterprise', 'Prospect', 'high-performance analytics'),
  ('ACC-DATACORP', 'DataCorp', 'Technology', 350, '200-500', 50000000, 'Series B',
   'Snowflake, dbt, Looker, AWS', 'North America', 'Mid-Market', 'Commit', 'high-performance analytics'),
  ('ACC-TECHCORP', 'TechCorp', 'Technology', 2400, '1000-5000', 420000000, 'Series D',
   'Snowflake, Airflow, Tableau, GCP', 'North America', 'Enterprise', 'Prospect', 'data-intensive applications'),
  ('ACC-TECHFLOW', 'TechFlow', 'Logistics', 800, '500-1000', 140000000, 'Series C',
   'Redshift, dbt, Looker, AWS', 'North America', 'Mid-Market', 'Prospect', 'data-intensive applications'),
  ('ACC-MICROSOFT', 'Microsoft', 'Technology', 220000, '5000+', 245000000000, 'Public',
   'Azure Synapse, Spark, Power BI, Azure', 'North America', 'Enterprise', 'Prospect', 'AI infrastructure');

INSERT INTO opportunities
SELECT 'OPP-IXIS-01', 'IXIS-Snowflake Cost Replacement', 'ACC-IXIS', 'IXIS Investment Management', 'Negotiate', 75,
  2100000, quarter_end, 'Sarah Johnson', today - 120, today - 1, (today - 1) + INTERVAL 15 HOUR + INTERVAL 30 MINUTE,
  false, false, 'Best Case', 'Enterprise', 'New Business', 'Champion meeting scheduled, technical validation pending',
  'Cost savings validated at $500K annually', 3,
  'CFO engaged, budget approved', 3,
  'Performance and cost reduction', 2,
  'Technical validation → Budget → Legal', 2,
  'Standard MSA, procurement team involved', 2,
  'Current Snowflake costs unsustainable', 3,
  'Data Engineering Director advocating internally', 2,
  'Snowflake incumbent; replacement justified on cost', 2
FROM gen
UNION ALL
SELECT 'OPP-DATACORP-01', 'DataCorp Expansion', 'ACC-DATACORP', 'DataCorp', 'Verbal Commit', 80, 800000,
  least(quarter_end, today + 21), 'Michael Chen', today - 95, today - 2, (today - 2) + INTERVAL 11 HOUR,
  false, false, 'Commit', 'Mid-Market', 'Expansion', 'Order form out for signature',
  'Seat growth of 40% tied to the new analytics team', 3, 'VP Data Engineering owns the budget', 3,
  'Concurrency for the new analytics team', 3, 'Verbal yes; order form with finance', 3,
  'Existing MSA, order form only', 3, 'Snowflake costs rising with the analytics team', 2,
  'John Smith, VP Data Engineering', 3, 'Snowflake for the legacy workloads', 2
FROM gen
UNION ALL
SELECT 'OPP-TECHFLOW-01', 'TechFlow Migration', 'ACC-TECHFLOW', 'TechFlow', 'Negotiate', 65, 600000,
  least(quarter_end, today + 35), 'Priya Patel', today - 150, today - 4, (today - 4) + INTERVAL 16 HOUR,
  false, false, 'Best Case', 'Mid-Market', 'New Business', 'Negotiate migration services in the order',
  'Migration payback modelled at 14 months', 2, 'CFO engaged, wants services capped', 2,
  'Migration risk and query latency', 2, 'Technical sign-off done; commercial terms open', 2,
  'MSA redlines with legal', 2, 'Redshift cluster at capacity every month end', 3,
  'Head of Platform advocating internally', 2, 'Redshift legacy cluster', 2
FROM gen
UNION ALL
SELECT 'OPP-MICROSOFT-01', 'Microsoft Enterprise Analytics Platform', 'ACC-MICROSOFT', 'Microsoft', 'Proof of Concept',
  40, 900000, next_quarter_start + 45, 'David Kim', today - 60, today - 6, (today - 6) + INTERVAL 10 HOUR,
  false, false, 'Pipeline', 'Enterprise', 'New Business', 'Review POC results with the platform team',
  'Latency targets defined, savings not yet modelled', 1, 'Economic buyer identified, not engaged', 1,
  'Sub-second dashboards at 1,000 concurrent users', 2, 'POC, then architecture board, then procurement', 2,
  'Enterprise procurement, long paper process', 1, 'Internal analytics too slow for customer-facing use', 2,
  'Principal engineer running the POC', 2, 'Azure Synapse in place', 1
FROM gen
UNION ALL
SELECT 'OPP-TECHCORP-01', 'TechCorp Real-Time Analytics', 'ACC-TECHCORP', 'TechCorp', 'Proposal', 50, 450000,
  least(quarter_end, today + 28), 'Emily Rodriguez', today - 75, today - 18, (today - 18) + INTERVAL 14 HOUR,
  false, false, 'Pipeline', 'Enterprise', 'New Business', 'Follow up on the proposal with Sarah Johnson',
  'Savings estimate shared, not validated', 1, 'Economic buyer identified, not engaged', 1,
  'Real-time dashboards, Snowflake cost', 2, 'Proposal review, then security, then legal', 1,
  'Paper process unknown', 0, 'Snowflake spend growing faster than usage', 2,
  'Sarah Johnson, Director of Data Platform', 2, 'Snowflake incumbent', 1
FROM gen;

INSERT INTO contacts
SELECT 'CON-JOHN-SMITH', 'John', 'Smith', 'John Smith', 'VP Data Engineering', 'high', 'john.smith@datacorp.example',
  'ACC-DATACORP', 'DataCorp', 'MQL', 'Webinar', today, 92, today,
  'https://www.linkedin.com/in/john-smith-datacorp', 'Expanding analytics team, raised $25M Series B'
FROM gen
UNION ALL
SELECT 'CON-SARAH-JOHNSON', 'Sarah', 'Johnson', 'Sarah Johnson', 'Director of Data Platform', 'medium',
  'sarah.johnson@techcorp.example', 'ACC-TECHCORP', 'TechCorp', 'SQL', 'Conference', week_start - 20, 78, today - 3,
  'https://www.linkedin.com/in/sarah-johnson-techcorp', 'Evaluating real-time analytics for customer dashboards'
FROM gen
UNION ALL
SELECT 'CON-IXIS-CFO', 'Claire', 'Martin', 'Claire Martin', 'CFO', 'high', 'claire.martin@ixis.example',
  'ACC-IXIS', 'IXIS Investment Management', 'Customer', 'Outbound', NULL, 70, today - 5, NULL,
  'Approved the data platform budget'
FROM gen;

INSERT INTO activities
SELECT 'ACT-IXIS-01', 'OPP-IXIS-01', 'ACC-IXIS', 'CON-IXIS-CFO', 'Meeting', 'Budget review with CFO', today - 1, 'Sarah Johnson' FROM gen
UNION ALL SELECT 'ACT-DATACORP-01', 'OPP-DATACORP-01', 'ACC-DATACORP', 'CON-JOHN-SMITH', 'Call', 'Expansion scoping', today - 2, 'Michael Chen' FROM gen
UNION ALL SELECT 'ACT-TECHFLOW-01', 'OPP-TECHFLOW-01', 'ACC-TECHFLOW', NULL, 'Email', 'Migration services terms', today - 4, 'Priya Patel' FROM gen
UNION ALL SELECT 'ACT-MICROSOFT-01', 'OPP-MICROSOFT-01', 'ACC-MICROSOFT', NULL, 'Demo', 'POC results walkthrough', today - 6, 'David Kim' FROM gen
UNION ALL SELECT 'ACT-TECHCORP-01', 'OPP-TECHCORP-01', 'ACC-TECHCORP', 'CON-SARAH-JOHNSON', 'Email', 'Proposal sent', today - 18, 'Emily Rodriguez' FROM gen;

INSERT INTO calls
SELECT 'CALL-IXIS-01', 'ACC-IXIS', 'IXIS Investment Management', 'OPP-IXIS-01', today - 3, 'Snowflake cost review',
  'Sarah Johnson, Claire Martin, Data Engineering Director', 45,
  'IXIS confirmed Snowflake costs are unsustainable; CFO approved budget; technical validation pending.',
  '"Our Snowflake spend is up 60% and the board wants it down by next year."', 'Snowflake',
  'Budget approval delays, competing priorities', 'Champion meeting; technical validation'
FROM gen
UNION ALL
SELECT 'CALL-DATACORP-01', 'ACC-DATACORP', 'DataCorp', 'OPP-DATACORP-01', today - 5, 'Expansion scoping',
  'Michael Chen, John Smith', 30,
  'DataCorp is growing its analytics team after the Series B and wants more seats; Snowflake stays for legacy jobs.',
  '"We raised $25M and the analytics team is doubling; Snowflake cannot keep up with concurrency."', 'Snowflake',
  'Already invested in current solution', 'Send order form'
FROM gen
UNION ALL
SELECT 'CALL-TECHCORP-01', 'ACC-TECHCORP', 'TechCorp', 'OPP-TECHCORP-01', today - 7, 'Proposal walkthrough',
  'Emily Rodriguez, Sarah Johnson', 40,
  'TechCorp compared real-time dashboard latency with Snowflake; cost optimisation messaging resonated.',
  '"If you can beat Snowflake on cost at our concurrency, we have a deal."', 'Snowflake, Databricks',
  'Already invested in current solution', 'Security review, then legal'
FROM gen;

-- DataCorp is an expansion candidate: seats near their cap and rising use.
INSERT INTO product_usage
SELECT 'ACC-DATACORP', usage_start + to_months(m::INTEGER), 60 + m * 4, (60 + m * 4) * 700, round((60 + m * 4) * 5.5, 1),
  110, 60 + m * 4
FROM gen, range(12) t(m);
