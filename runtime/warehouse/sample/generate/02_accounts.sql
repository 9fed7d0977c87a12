-- Noise accounts. An account's name and segment are pure functions of its number (macros), so opportunities can
-- carry them without a join. Names come from two word lists (a bijection over their product, numbered beyond it)
-- and never contain a named record's company (IXIS, DataCorp, TechCorp, TechFlow, Microsoft): the seed's
-- questions must find exactly one match.
CREATE TEMP MACRO account_id(a) AS 'ACC' || lpad(a::VARCHAR, 7, '0');
CREATE TEMP MACRO account_name(a) AS
  ['Bluepeak', 'Cedarline', 'Northwind', 'Quantix', 'Helio', 'Arbor', 'Vantage', 'Lumen', 'Stratus', 'Keystone',
   'Orbital', 'Pinnacle', 'Redwood', 'Silverline', 'Tidewater', 'Granite', 'Evergreen', 'Nimbus', 'Cobalt',
   'Meridian', 'Summit', 'Harbor', 'Falcon', 'Atlas', 'Beacon', 'Crescent', 'Driftwood', 'Ember', 'Fjord',
   'Glacier', 'Horizon', 'Ironwood', 'Juniper', 'Kestrel', 'Larkspur', 'Monarch', 'Nova', 'Onyx', 'Prairie',
   'Quarry', 'Riverbend', 'Sable', 'Topaz', 'Umber', 'Vertex', 'Willow', 'Zephyr', 'Alder', 'Brightwater',
   'Copperleaf'][1 + a % 50]
  || ' ' ||
  ['Analytics', 'Systems', 'Labs', 'Health', 'Financial', 'Logistics', 'Retail', 'Media', 'Energy', 'Networks',
   'Software', 'Capital', 'Insurance', 'Games', 'Mobility', 'Biosciences', 'Commerce', 'Security', 'Robotics',
   'Telecom', 'Partners', 'Group', 'Holdings', 'Industries', 'Digital', 'Cloud', 'Markets', 'Foods', 'Travel',
   'Education'][1 + (a // 50) % 30]
  || CASE WHEN a >= 1500 THEN ' ' || (a // 1500 + 1)::VARCHAR ELSE '' END;
CREATE TEMP MACRO account_region(a) AS pick(['North America', 'North America', 'EMEA', 'APAC', 'LATAM'], a, 11);
CREATE TEMP MACRO account_segment(a) AS
  CASE WHEN rnd(a, 1) < 0.25 THEN 'Enterprise' WHEN rnd(a, 1) < 0.65 THEN 'Mid-Market' ELSE 'SMB' END;

INSERT INTO accounts
WITH base AS (
  SELECT a, account_segment(a) AS segment, rnd(a, 2) AS size_r, rnd(a, 12) AS customer_r
  FROM range(1, (SELECT accounts FROM gen) + 1) t(a)
), sized AS (
  SELECT *,
    CASE segment
      WHEN 'Enterprise' THEN 1000 + floor(size_r * size_r * 49000)::INTEGER
      WHEN 'Mid-Market' THEN 200 + floor(size_r * 800)::INTEGER
      ELSE 10 + floor(size_r * 190)::INTEGER
    END AS employee_count
  FROM base
)
SELECT
  account_id(a) AS id,
  account_name(a) AS name,
  pick(['Financial Services', 'Healthcare', 'Retail', 'Media', 'Technology', 'Gaming', 'Telecommunications',
        'Logistics', 'Energy', 'Insurance', 'AdTech', 'Manufacturing'], a, 3) AS industry,
  employee_count,
  CASE WHEN employee_count < 50 THEN '1-50' WHEN employee_count < 200 THEN '50-200'
       WHEN employee_count <= 500 THEN '200-500' WHEN employee_count < 1000 THEN '500-1000'
       WHEN employee_count < 5000 THEN '1000-5000' ELSE '5000+' END AS employee_band,
  employee_count::BIGINT * rint(a, 4, 120, 320) * 1000 AS annual_revenue,
  CASE segment
    WHEN 'Enterprise' THEN pick(['Series D', 'Private Equity', 'Public', 'Public'], a, 5)
    WHEN 'Mid-Market' THEN pick(['Series A', 'Series B', 'Series C', 'Private Equity'], a, 5)
    ELSE pick(['Seed', 'Series A', 'Bootstrapped'], a, 5)
  END AS funding_stage,
  CASE WHEN rnd(a, 6) < 0.40 THEN 'Snowflake' ELSE pick(['BigQuery', 'Redshift', 'Databricks', 'PostgreSQL', 'ClickHouse'], a, 7) END
    || ', ' || pick(['dbt', 'Airflow', 'Fivetran', 'Spark', 'Kafka'], a, 8)
    || ', ' || pick(['Looker', 'Tableau', 'Power BI', 'Metabase', 'Superset'], a, 9)
    || ', ' || pick(['AWS', 'AWS', 'GCP', 'Azure'], a, 10) AS tech_stack,
  account_region(a) AS region,
  segment,
  CASE WHEN customer_r < 0.30 THEN 'Commit' WHEN customer_r < 0.50 THEN 'PLG' ELSE 'Prospect' END AS customer_type,
  CASE WHEN rnd(a, 13) < 0.40 THEN NULL
       ELSE pick(['data-intensive applications', 'AI infrastructure', 'high-performance analytics'], a, 14) END AS icp_segment
FROM sized;
