-- The sample RevOps warehouse. Tables and columns follow the seed's SQL so its queries run unchanged on the
-- embedded DuckDB file and on Firebolt. MEDDPICC parts carry a short text and a 0-3 score each.
-- Ids are unique but declared without PRIMARY KEY / REFERENCES: DuckDB checks constraints row by row on bulk loads
-- (several times the cost of the load at 1,000,000 opportunities), Firebolt has no such constraints, and no
-- query here needs them. The generator guarantees uniqueness and that every *_id points at an existing row.
CREATE TABLE accounts (
  id              VARCHAR NOT NULL,  -- unique
  name            VARCHAR NOT NULL,
  industry        VARCHAR,
  employee_count  INTEGER,
  employee_band   VARCHAR,          -- '200-500', '1000-5000', ...
  annual_revenue  BIGINT,           -- USD
  funding_stage   VARCHAR,          -- 'Seed', 'Series A', 'Series B', ..., 'Public'
  tech_stack      VARCHAR,          -- comma separated: 'Snowflake, dbt, Looker, AWS'
  region          VARCHAR,
  segment         VARCHAR,          -- 'Enterprise', 'Mid-Market', 'SMB'
  customer_type   VARCHAR,          -- 'Commit', 'PLG', 'Prospect'
  icp_segment     VARCHAR           -- 'data-intensive applications', 'AI infrastructure', 'high-performance analytics', NULL
);

CREATE TABLE opportunities (
  id                       VARCHAR NOT NULL,  -- unique
  opportunity_name         VARCHAR NOT NULL,
  account_id               VARCHAR,          -- accounts.id
  account_name             VARCHAR,  -- denormalised, as the seed's top-opportunities query reads it
  stage_name               VARCHAR,  -- 'Discover', 'Proof of Concept', 'Proposal', 'Negotiate', 'Verbal Commit', 'Closed Won', 'Closed Lost'
  probability              INTEGER,  -- 0..100
  amount                   BIGINT,   -- USD
  close_date               DATE,
  owner_name               VARCHAR,
  created_date             DATE,
  last_activity_date       DATE,
  last_modified_date       TIMESTAMP,
  is_closed                BOOLEAN,
  is_won                   BOOLEAN,
  forecast_category        VARCHAR,  -- 'Commit', 'Best Case', 'Pipeline', 'Omitted', 'Closed'
  segment                  VARCHAR,
  opportunity_type         VARCHAR,  -- 'New Business', 'Expansion', 'Renewal'
  next_step                VARCHAR,
  metrics                  VARCHAR, metrics_score            INTEGER,
  economic_buyer           VARCHAR, economic_buyer_score     INTEGER,
  decision_criteria        VARCHAR, decision_criteria_score  INTEGER,
  decision_process         VARCHAR, decision_process_score   INTEGER,
  paper_process            VARCHAR, paper_process_score      INTEGER,
  identify_pain            VARCHAR, identify_pain_score      INTEGER,
  champion                 VARCHAR, champion_score           INTEGER,
  competition              VARCHAR, competition_score        INTEGER
);

CREATE TABLE contacts (
  id                VARCHAR NOT NULL,  -- unique
  first_name        VARCHAR,
  last_name         VARCHAR,
  full_name         VARCHAR NOT NULL,
  title             VARCHAR,
  title_tier        VARCHAR,          -- 'high' (CTO/CDO/VP), 'medium' (staff/principal/director), 'low' (analyst, other)
  email             VARCHAR,
  account_id        VARCHAR,          -- accounts.id
  account_name      VARCHAR,
  lead_status       VARCHAR,          -- 'New', 'MQL', 'SQL', 'Nurture', 'Disqualified', 'Customer'
  lead_source       VARCHAR,
  mql_date          DATE,
  engagement_score  INTEGER,          -- 0..100
  last_engaged_date DATE,
  linkedin_url      VARCHAR,
  recent_activity   VARCHAR           -- short note: 'Expanding analytics team, raised $25M Series B'
);

CREATE TABLE activities (
  id              VARCHAR NOT NULL,  -- unique
  opportunity_id  VARCHAR,
  account_id      VARCHAR,
  contact_id      VARCHAR,
  activity_type   VARCHAR,            -- 'Call', 'Email', 'Meeting', 'Demo'
  subject         VARCHAR,
  activity_date   DATE,
  owner_name      VARCHAR
);

CREATE TABLE calls (
  id                   VARCHAR NOT NULL,  -- unique
  account_id           VARCHAR,
  account_name         VARCHAR,
  opportunity_id       VARCHAR,
  call_date            DATE,
  title                VARCHAR,
  participants         VARCHAR,       -- comma separated names
  duration_minutes     INTEGER,
  summary              VARCHAR,
  transcript_excerpt   VARCHAR,
  competitor_mentions  VARCHAR,       -- comma separated: 'Snowflake, Databricks'; '' when none
  objections           VARCHAR,
  next_steps           VARCHAR
);

CREATE TABLE product_usage (
  account_id       VARCHAR,
  month            DATE,              -- first day of the month
  active_users     INTEGER,
  queries_run      BIGINT,
  compute_hours    DOUBLE,
  seats_purchased  INTEGER,
  seats_used       INTEGER            -- seats in use that month; (account_id, month) is unique
);
