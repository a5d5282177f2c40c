-- tests/bench/gen.sql — benchmark data: :n persons (psql -v n=100000) in
-- units over every district and industry, with records over the three full
-- years before this one.  For a THROWAWAY cluster only (tests/bench/run):
-- it runs as the superuser with session_replication_role = replica, so no
-- trigger fires (no foreign-key checks, no fill triggers); it fills the
-- denormalised columns (persons.district, records.reg_*/cur_*) itself.
-- National ids and credit codes match the columns' syntax but carry no
-- valid check characters (core checks those on the API's input only).
-- Leaves person_year_summary empty: `jxjyctl recompute` decides it.
--
-- Spread (per person-year, seeded): public 2 records, professional 2
-- records of the level's half-minimum (senior/intermediate 12 + 24 h,
-- junior 7 + 14 h); each record present with p = 0.96, verified 94 %,
-- registered 4 %, rejected 2 %  →  about 60 % of person-years compliant,
-- the others short in one category or both, some with pending hours.
\set ON_ERROR_STOP on
SET session_replication_role = replica;
SET synchronous_commit = off;
SELECT setseed(0.2013);
BEGIN;
SELECT set_config('jxjy.claims', '{"role": "city_bureau", "sub": "bench"}', true);

CREATE TEMP TABLE bd AS SELECT code, (row_number() OVER (ORDER BY code) - 1)::int AS i FROM jxjy.districts;
CREATE TEMP TABLE bi AS SELECT code, (row_number() OVER (ORDER BY code) - 1)::int AS i FROM jxjy.industries;
CREATE TEMP TABLE bu AS
SELECT u, md5('bench-unit/' || u)::uuid AS id,
       (SELECT code FROM bd WHERE i = u % (SELECT count(*) FROM bd)) AS district,
       (SELECT code FROM bi WHERE i = (u / 7) % (SELECT count(*) FROM bi)) AS industry
  FROM generate_series(0, greatest(1, :n / 250) - 1) u;

INSERT INTO jxjy.units (id, credit_code, name, kind, district, industry, created_by)
SELECT id, '91' || lpad(u::text, 16, '0'), 'bench unit ' || u, 'enterprise', district, industry, 'bench'
  FROM bu;

INSERT INTO jxjy.persons (id, national_id, name, unit, district, industry, title_level,
                          cycle_start_year, since, created_by)
SELECT md5('bench-person/' || i)::uuid, '9' || lpad(i::text, 17, '0'), 'bench person ' || i,
       bu.id, bu.district, bu.industry,
       (ARRAY['senior_full', 'senior_deputy', 'intermediate', 'intermediate', 'intermediate',
              'junior_assistant', 'junior_assistant', 'junior_member'])[1 + i % 8]::jxjy.title_level,
       extract(year FROM jxjy.today())::int - 1 - i % 6,
       make_date(extract(year FROM jxjy.today())::int - 1 - i % 6, 1, 1), 'bench'
  FROM generate_series(0, :n - 1) i
  JOIN bu ON bu.u = i % (SELECT count(*) FROM bu);

INSERT INTO jxjy.records (person, year, start_date, end_date, category, form, class_type, hours,
                          source, status, reason, registered_by, verified_by, verified_at,
                          reg_district, reg_unit, reg_industry, cur_district, cur_unit, cur_industry,
                          year_district, year_unit, year_industry)
SELECT x.id, x.y, make_date(x.y, x.k, 1), make_date(x.y, x.k, 10),
       CASE WHEN x.k <= 2 THEN 'public' ELSE 'professional' END::jxjy.category,
       'training_class', 'full_time',
       CASE WHEN x.junior THEN CASE WHEN x.k <= 2 THEN 7 ELSE 14 END
            ELSE CASE WHEN x.k <= 2 THEN 12 ELSE 24 END END,
       'unit', s.status, CASE WHEN s.status = 'rejected' THEN 'bench' END, 'bench',
       CASE WHEN s.status <> 'registered' THEN 'bench' END,
       CASE WHEN s.status <> 'registered' THEN now() END,
       x.district, x.unit, x.industry, x.district, x.unit, x.industry,
       x.district, x.unit, x.industry   -- no history here: every year's holding (R-30)
  FROM (SELECT p.id, p.district, p.unit, p.industry, y, k,
               p.title_level IN ('junior_assistant', 'junior_member') AS junior,
               random() AS present, random() AS r      -- volatile: evaluated per row
          FROM jxjy.persons p
         CROSS JOIN generate_series(extract(year FROM jxjy.today())::int - 3,
                                    extract(year FROM jxjy.today())::int - 1) y
         CROSS JOIN generate_series(1, 4) k
         WHERE p.created_by = 'bench') x
 CROSS JOIN LATERAL (SELECT CASE WHEN x.r < 0.94 THEN 'verified' WHEN x.r < 0.98 THEN 'registered'
                                 ELSE 'rejected' END::jxjy.record_status AS status) s
 WHERE x.present < 0.96;
COMMIT;
ANALYZE;
