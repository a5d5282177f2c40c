-- tests/bench/city_gen.sql — city-scale benchmark data (tests/bench/cityscale):
--   psql -v persons=1500000 -v units=30000 -v first=2016 -v last=2025
--        -v per_project=75 -f city_gen.sql
-- For a THROWAWAY cluster only.  It runs as the superuser with
-- session_replication_role = replica, so no trigger fires (neither the fill
-- and report triggers nor the foreign-key checks); it writes what those
-- triggers would (persons.district, records.reg_*/cur_*, records.base,
-- enrolments.base/base_district, person_employments) itself, consistently.
-- It loads into tables emptied (TRUNCATE) in the same transaction, so with
-- wal_level = minimal none of it is WAL-logged.  It leaves
-- person_year_summary and the report aggregates empty (the script builds
-- them next); the script drops the big tables' secondary indexes before and
-- recreates them after (one CREATE INDEX is far cheaper than 30 million
-- index insertions).
--
-- National ids and credit codes match the columns' syntax but carry no
-- valid check characters (core checks those on the API's input only).
-- Every draw is a hash of the row's number (pg_temp.u below): the same
-- parameters give the same data, and a draw used twice in a row is the same.
--
-- Proportions:
--   districts   Suzhou's ten, by their rough share of professional staff
--               (昆山 15 %, 园区 14 %, 吴中 11 %, 吴江 10 %, 常熟 10 %, …)
--   industries  education 25 %, engineering 22 %, health 15 %, accounting
--               10 %, economics 8 %, it 8 %, research 5 %, agriculture 3 %,
--               culture 2 %, law 1 %, press 1 %
--   units       :units units, each in one district and industry (drawn by
--               those weights); persons fall on units with a heavy tail
--               (unit ⌊U·r²⌋: the biggest have thousands of staff, the
--               median a few dozen)
--   title       senior_full 3 %, senior_deputy 12 %, intermediate 40 %,
--               junior_assistant 30 %, junior_member 15 %; 2 % have left
--               service (their records stay; reports count the in-service)
--   records     every person-year from :first to :last: one public record
--               (p 0.96), one professional (p 0.96), a second professional
--               one (p 0.08) — ≈ 2 per person-year; hours at the level's
--               minimum (R-5: 24 + 48 / 14 + 28) in 75 %, 6 h above in 15 %,
--               8 h short in 10 %; forms and class types mixed (online for
--               most public hours); verified 95 %, registered 3 %, rejected 2 %
--   bases       40 accredited bases (10 city-level, 30 district-level), 200
--               projects a year (a third public), :per_project trainees
--               each, 90 % completed with their verified base record (R-14)
\set ON_ERROR_STOP on
SET session_replication_role = replica;
SET synchronous_commit = off;
SET work_mem = '256MB';
SET client_min_messages = warning;
-- a uniform draw in [0, 1) from (row number, stream)
CREATE FUNCTION pg_temp.u(bigint, bigint) RETURNS float8 LANGUAGE sql IMMUTABLE
    AS $$ SELECT ((hashint8extended($1, $2) % 1000000 + 1000000) % 1000000)::float8 / 1000000 $$;
BEGIN;
SELECT set_config('jxjy.claims', '{"role": "city_bureau", "sub": "bench"}', true);
TRUNCATE jxjy.units, jxjy.persons, jxjy.person_employments, jxjy.records, jxjy.bases,
         jxjy.public_subjects, jxjy.guides, jxjy.guide_subjects, jxjy.projects,
         jxjy.enrolments, jxjy.person_year_summary CASCADE;

-- weights → [lo, hi) intervals of [0, 1)
CREATE TEMP TABLE dw (code char(6), w numeric);
INSERT INTO dw VALUES ('320583', 15), ('320571', 14), ('320506', 11), ('320509', 10),
    ('320581', 10), ('320582', 9), ('320508', 9), ('320505', 9), ('320507', 7), ('320585', 6);
CREATE TEMP TABLE iw (code text, w numeric);
INSERT INTO iw VALUES ('education', 25), ('engineering', 22), ('health', 15), ('accounting', 10),
    ('economics', 8), ('it', 8), ('research', 5), ('agriculture', 3), ('culture', 2),
    ('law', 1), ('press', 1);
CREATE TEMP TABLE dcum AS
SELECT code, ((sum(w) OVER (ORDER BY code) - w) / sum(w) OVER ())::float8 AS lo,
       CASE WHEN sum(w) OVER (ORDER BY code) = sum(w) OVER () THEN 2
            ELSE (sum(w) OVER (ORDER BY code) / sum(w) OVER ())::float8 END AS hi
  FROM dw;
CREATE TEMP TABLE icum AS
SELECT code, ((sum(w) OVER (ORDER BY code) - w) / sum(w) OVER ())::float8 AS lo,
       CASE WHEN sum(w) OVER (ORDER BY code) = sum(w) OVER () THEN 2
            ELSE (sum(w) OVER (ORDER BY code) / sum(w) OVER ())::float8 END AS hi
  FROM iw;

-- ---- units ------------------------------------------------------------------
CREATE TEMP TABLE cu AS
SELECT x.u, md5('city-unit/' || x.u)::uuid AS id, d.code AS district, i.code AS industry,
       CASE WHEN pg_temp.u(x.u, 23) < 0.3 THEN 'institution' ELSE 'enterprise' END::jxjy.unit_kind AS kind
  FROM generate_series(0, :units - 1) x(u)
  JOIN dcum d ON pg_temp.u(x.u, 21) >= d.lo AND pg_temp.u(x.u, 21) < d.hi
  JOIN icum i ON pg_temp.u(x.u, 22) >= i.lo AND pg_temp.u(x.u, 22) < i.hi;
CREATE UNIQUE INDEX ON cu (u);
ANALYZE cu;

INSERT INTO jxjy.units (id, credit_code, name, kind, district, industry, created_by, created_at,
                        updated_at)
SELECT id, '91320' || lpad(u::text, 13, '0'), '城市规模测试单位 ' || u, kind, district, industry,
       'bench', timestamptz '2012-01-01 00:00+08', timestamptz '2012-01-01 00:00+08'
  FROM cu;

-- ---- persons ----------------------------------------------------------------
CREATE TEMP TABLE cpx AS
SELECT x.i, md5('city-person/' || x.i)::uuid AS id, cu.id AS unit, cu.district, cu.industry,
       CASE WHEN x.rl < 0.03 THEN 'senior_full' WHEN x.rl < 0.15 THEN 'senior_deputy'
            WHEN x.rl < 0.55 THEN 'intermediate' WHEN x.rl < 0.85 THEN 'junior_assistant'
            ELSE 'junior_member' END::jxjy.title_level AS title_level,
       CASE WHEN x.rs < 0.02 THEN 'left' ELSE 'in_service' END::jxjy.person_status AS status,
       timestamptz '2012-01-01 00:00+08' + x.ra * interval '1500 days' AS created_at
  FROM (SELECT i, floor(:units * power(pg_temp.u(i, 12), 2))::int AS u, pg_temp.u(i, 11) AS rl,
               pg_temp.u(i, 13) AS ra, pg_temp.u(i, 14) AS rs
          FROM generate_series(0, :persons - 1) i) x
  JOIN cu ON cu.u = x.u
 ORDER BY x.i;

INSERT INTO jxjy.persons (id, national_id, name, unit, district, industry, title_level,
                          cycle_start_year, since, status, created_by, created_at, updated_at)
SELECT id, '3205' || lpad(i::text, 14, '0'), '测试人员 ' || i, unit, district, industry,
       title_level, :first - (i % 5), make_date(:first - (i % 5), 1, 1), status, 'bench',
       created_at, created_at
  FROM cpx;

-- what persons_employment_start would have written
INSERT INTO jxjy.person_employments (person, unit, from_date)
SELECT id, unit, (created_at AT TIME ZONE 'Asia/Shanghai')::date FROM cpx;

-- ---- bases, subjects, projects, enrolments ------------------------------------
CREATE TEMP TABLE cb AS
SELECT b, md5('city-base/' || b)::uuid AS id,
       CASE WHEN b < 10 THEN 'city' ELSE 'district' END::jxjy.base_level AS level,
       (SELECT code FROM dw ORDER BY code OFFSET b % 10 LIMIT 1) AS district
  FROM generate_series(0, 39) b;
INSERT INTO jxjy.bases (id, name, level, district, status, accredited_at, accredited_by,
                        created_by)
SELECT id, '继续教育基地 ' || b, level, district, 'accredited', timestamptz '2013-06-01 00:00+08',
       'bench', 'bench'
  FROM cb;

INSERT INTO jxjy.public_subjects (id, year, code, title, hours, created_by)
SELECT md5('city-ps/' || y || '/' || s)::uuid, y, 'GX' || y || '-' || s, '公需科目 ' || s, 12, 'bench'
  FROM generate_series(:first, :last) y CROSS JOIN generate_series(0, 9) s;
INSERT INTO jxjy.guides (id, industry, year, title, status, published_at, created_by)
SELECT md5('city-guide/' || y || '/' || code)::uuid, code, y, '专业科目指南 ' || y, 'published',
       make_timestamptz(y - 1, 12, 1, 0, 0, 0, 'Asia/Shanghai'), 'bench'
  FROM generate_series(:first, :last) y CROSS JOIN iw;
INSERT INTO jxjy.guide_subjects (id, guide, code, title, hours)
SELECT md5('city-gs/' || y || '/' || code)::uuid, md5('city-guide/' || y || '/' || code)::uuid,
       'ZY-' || code, '专业科目', 24
  FROM generate_series(:first, :last) y CROSS JOIN iw;

-- project q (0..199) of year y: base q % 40; a third public
CREATE TEMP TABLE cp AS
SELECT y, q, md5('city-project/' || y || '/' || q)::uuid AS id, cb.id AS base,
       cb.district AS base_district,
       CASE WHEN q % 3 = 0 THEN 'public' ELSE 'professional' END::jxjy.category AS category,
       (SELECT code FROM iw ORDER BY code OFFSET q % 11 LIMIT 1) AS industry,
       CASE WHEN q % 3 = 0 THEN 12 ELSE 24 END::numeric AS hours,
       (ARRAY['full_time', 'part_time', 'spare_time', 'online'])[1 + q % 4]::jxjy.class_type AS class_type,
       make_date(y, 1 + q % 12, 11 + (q / 12) % 10) AS start_date
  FROM generate_series(:first, :last) y CROSS JOIN generate_series(0, 199) q
  JOIN cb ON cb.b = q % 40;
INSERT INTO jxjy.projects (id, base, year, title, category, subject_public, subject_guide, hours,
                           class_type, capacity, fee, funding_government, funding_unit,
                           funding_individual, status, submitted_at, decided_by, decided_at,
                           created_by, created_at, updated_at)
SELECT id, base, y, '培训项目 ' || y || '-' || q, category,
       CASE WHEN category = 'public' THEN md5('city-ps/' || y || '/' || (q % 10))::uuid END,
       CASE WHEN category = 'professional' THEN md5('city-gs/' || y || '/' || industry)::uuid END,
       hours, class_type, 100, 600 + 100 * (q % 5), 50, 30, 20, 'approved',
       make_timestamptz(y - 1, 11, 1, 0, 0, 0, 'Asia/Shanghai'), 'bench',
       make_timestamptz(y - 1, 12, 1, 0, 0, 0, 'Asia/Shanghai'), 'bench',
       make_timestamptz(y - 1, 11, 1, 0, 0, 0, 'Asia/Shanghai'),
       make_timestamptz(y - 1, 12, 1, 0, 0, 0, 'Asia/Shanghai')
  FROM cp;

-- trainees: project q of year y enrols :per_project persons j, person number
-- ((q·k + j) · 1000003) mod N — distinct within a year while 200·k < N (the
-- script keeps k ≤ N/400), so nobody is in two projects of one year
CREATE TEMP TABLE ce AS
SELECT cp.y, cp.q, j, cp.id AS project, cp.base, cp.base_district, cp.category, cp.hours,
       cp.class_type, cp.start_date, p.id AS person, p.district, p.unit, p.industry,
       ('00000000-0000-4000-a000-' || lpad(to_hex((cp.y - :first) * 100000 + cp.q * 100 + j), 12, '0'))::uuid AS id,
       ('00000000-0000-4000-9000-' || lpad(to_hex((cp.y - :first) * 100000 + cp.q * 100 + j), 12, '0'))::uuid AS record,
       pg_temp.u((cp.y - :first) * 100000 + cp.q * 100 + j, 31) < 0.9 AS completed
  FROM cp CROSS JOIN generate_series(0, :per_project - 1) j
  JOIN cpx p ON p.i = ((cp.q * :per_project + j)::bigint * 1000003) % :persons;

INSERT INTO jxjy.enrolments (id, project, person, base, base_district, attended_hours,
                             exam_result, status, record, completed_at, created_by, created_at,
                             updated_at)
SELECT id, project, person, base, base_district, CASE WHEN completed THEN hours ELSE 0 END,
       CASE WHEN completed THEN 'passed' ELSE 'pending' END::jxjy.exam_result,
       CASE WHEN completed THEN 'completed' ELSE 'enrolled' END::jxjy.enrolment_status,
       CASE WHEN completed THEN record END,
       CASE WHEN completed THEN (start_date + 5 + time '17:00') AT TIME ZONE 'Asia/Shanghai' END,
       'bench', (start_date - 20 + time '09:00') AT TIME ZONE 'Asia/Shanghai',
       (start_date + 5 + time '17:00') AT TIME ZONE 'Asia/Shanghai'
  FROM ce;

-- ---- records ------------------------------------------------------------------
-- one row per (person i, year y, k): k = 1 public, 2 professional, 3 a
-- second professional one.  n = (i·16 + y − first)·4 + k numbers the
-- records (and is their id's last 48 bits: ids in insertion order, the
-- primary key being the one index kept during the load); the person-year's
-- draws use (i·16 + y − first), the record's use n.
INSERT INTO jxjy.records (id, person, year, start_date, end_date, category, form, class_type,
                          hours, source, status, reason, registered_by, verified_by,
                          verified_at, reg_district, reg_unit, reg_industry, cur_district,
                          cur_unit, cur_industry, year_district, year_unit, year_industry,
                          created_at, updated_at)
SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(z.n), 12, '0'))::uuid,
       z.id, z.y, z.start_date, z.start_date + (greatest(1, ceil(z.hours / 8.0))::int - 1),
       z.category, f.form, f.class_type, z.hours, 'unit', s.status,
       CASE WHEN s.status = 'rejected' THEN '材料不全' END, 'bench',
       CASE WHEN s.status <> 'registered' THEN 'bench' END,
       CASE WHEN s.status <> 'registered' THEN z.created_at + interval '10 days' END,
       z.district, z.unit, z.industry, z.district, z.unit, z.industry,
       z.district, z.unit, z.industry,   -- no history here: every year's holding (R-30)
       z.created_at, CASE WHEN s.status <> 'registered' THEN z.created_at + interval '10 days'
                          ELSE z.created_at END
  FROM (SELECT x.*,
               CASE WHEN x.k = 1 THEN 'public' ELSE 'professional' END::jxjy.category AS category,
               -- the level's minimum (R-5) mostly, above or short of it otherwise
               (CASE WHEN x.k = 1 THEN x.min_pub
                     WHEN x.k = 2 THEN x.min_pro - CASE WHEN x.extra THEN 12 ELSE 0 END
                     ELSE 12 END)
                 + CASE WHEN x.k = 3 THEN 0 WHEN pg_temp.u(x.n, 3) < 0.10 THEN -8
                        WHEN pg_temp.u(x.n, 3) < 0.25 THEN 6 ELSE 0 END AS hours,
               make_date(x.y, 1 + floor(pg_temp.u(x.n, 4) * 11)::int,
                         CASE WHEN x.k = 3 THEN 20 ELSE 1 END) AS start_date,
               make_timestamptz(x.y, 1 + floor(pg_temp.u(x.n, 4) * 11)::int, 28, 10, 0, 0,
                                'Asia/Shanghai') + pg_temp.u(x.n, 7) * interval '20 days' AS created_at
          FROM (SELECT p.id, p.district, p.unit, p.industry, y.y, k.k,
                       (p.i * 16 + y.y - :first) * 4 + k.k AS n,
                       pg_temp.u(p.i * 16 + y.y - :first, 1) < 0.08 AS extra,
                       CASE WHEN p.title_level IN ('junior_assistant', 'junior_member')
                            THEN 14 ELSE 24 END AS min_pub,
                       CASE WHEN p.title_level IN ('junior_assistant', 'junior_member')
                            THEN 28 ELSE 48 END AS min_pro
                  -- the lateral references (0 · …) pin the join order: person,
                  -- then year, then k — records (and their ids) in id order
                  FROM cpx p
                 CROSS JOIN LATERAL generate_series(:first + 0 * p.i, :last) y(y)
                 CROSS JOIN LATERAL generate_series(1 + 0 * y.y, 3) k(k)) x
         WHERE CASE WHEN x.k = 3 THEN x.extra ELSE pg_temp.u(x.n, 2) < 0.96 END) z
 CROSS JOIN LATERAL (SELECT CASE WHEN pg_temp.u(z.n, 6) < 0.95 THEN 'verified'
                                 WHEN pg_temp.u(z.n, 6) < 0.98 THEN 'registered'
                                 ELSE 'rejected' END::jxjy.record_status AS status,
                            pg_temp.u(z.n, 5) AS f) s
 CROSS JOIN LATERAL (SELECT CASE
        WHEN z.k = 1 AND s.f < 0.60 THEN 'online_education'
        WHEN z.k = 1 AND s.f < 0.85 THEN 'training_class'
        WHEN z.k = 1 THEN 'remote_education'
        WHEN s.f < 0.50 THEN 'training_class'
        WHEN s.f < 0.65 THEN 'academic_exchange'
        WHEN s.f < 0.80 THEN 'online_education'
        WHEN s.f < 0.90 THEN 'remote_education'
        WHEN s.f < 0.98 THEN 'degree_education'
        ELSE 'overseas_training' END AS form,
      CASE
        WHEN z.k = 1 AND s.f < 0.60 THEN 'online'
        WHEN z.k = 1 AND s.f < 0.85 THEN 'full_time'
        WHEN z.k = 1 THEN 'spare_time'
        WHEN s.f < 0.35 THEN 'full_time'
        WHEN s.f < 0.50 THEN 'part_time'
        WHEN s.f < 0.65 THEN 'spare_time'
        WHEN s.f < 0.80 THEN 'online'
        WHEN s.f < 0.98 THEN 'spare_time'
        ELSE 'full_time' END::jxjy.class_type AS class_type) f;

-- the base records of the completed enrolments (verified on completion, R-14)
INSERT INTO jxjy.records (id, person, year, start_date, end_date, category, form, class_type,
                          hours, source, project, enrolment, status, registered_by, verified_by,
                          verified_at, base, reg_district, reg_unit, reg_industry, cur_district,
                          cur_unit, cur_industry, year_district, year_unit, year_industry,
                          created_at, updated_at)
SELECT record, person, y, start_date, start_date + 4, category, 'training_class', class_type,
       hours, 'base', project, id, 'verified', 'bench', 'bench',
       (start_date + 5 + time '17:00') AT TIME ZONE 'Asia/Shanghai', base, district, unit,
       industry, district, unit, industry, district, unit, industry,
       (start_date + 5 + time '17:00') AT TIME ZONE 'Asia/Shanghai',
       (start_date + 5 + time '17:00') AT TIME ZONE 'Asia/Shanghai'
  FROM ce
 WHERE completed;
COMMIT;
