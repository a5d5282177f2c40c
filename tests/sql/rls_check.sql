-- tests/sql/rls_check.sql — scratch checks of the RLS design against the demo
-- data.  Run as a superuser on a database with 0001, 0002 and the demo data:
--   psql -v ON_ERROR_STOP=1 -f tests/sql/rls_check.sql
-- Everything happens in one transaction that is rolled back.  Each DO block
-- raises on failure; the script ends with 'ALL RLS CHECKS PASSED'.
\set QUIET on
BEGIN;
-- fixtures picked as the owner (superuser: bypasses RLS)
CREATE TEMP TABLE fx AS
SELECT (SELECT id FROM jxjy.units WHERE district = '320583' ORDER BY id LIMIT 1) AS ks_unit,
       (SELECT id FROM jxjy.units WHERE district = '320583' ORDER BY id OFFSET 1 LIMIT 1) AS ks_unit2,
       (SELECT id FROM jxjy.units WHERE district = '320505' ORDER BY id LIMIT 1) AS hq_unit,
       (SELECT count(*) FROM jxjy.persons WHERE district = '320583') AS ks_persons,
       (SELECT count(*) FROM jxjy.records WHERE cur_industry = 'health' AND category = 'professional') AS health_prof,
       (SELECT id FROM jxjy.bases WHERE level = 'district' AND district = '320583') AS ks_base;
ALTER TABLE fx ADD COLUMN mover uuid;
UPDATE fx SET mover = (SELECT p.id FROM jxjy.persons p WHERE p.unit = fx.ks_unit
                        AND EXISTS (SELECT 1 FROM jxjy.records r WHERE r.person = p.id)
                        AND NOT EXISTS (SELECT 1 FROM jxjy.transfers t WHERE t.person = p.id)
                      ORDER BY p.id LIMIT 1);
GRANT SELECT ON fx TO jxjy_app;

SET ROLE jxjy_app;

-- 1. without claims every table the gateway can read is empty
DO $$
DECLARE t text; n bigint;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
              WHERE s.nspname = 'jxjy' AND c.relkind = 'r'
                AND has_table_privilege('jxjy_app', c.oid, 'SELECT') LOOP
        EXECUTE format('SELECT count(*) FROM jxjy.%I', t) INTO n;
        IF n <> 0 THEN RAISE EXCEPTION 'no claims: % shows % rows', t, n; END IF;
    END LOOP;
    -- accounts: only the permitted columns
    PERFORM count(id) FROM jxjy.accounts;
END $$;
DO $$ BEGIN
    PERFORM password_hash FROM jxjy.accounts;
    RAISE EXCEPTION 'password_hash readable';
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
DO $$ BEGIN
    PERFORM * FROM jxjy.revoked_tokens;
    RAISE EXCEPTION 'revoked_tokens readable';
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;

-- 2. district bureau: SELECT * FROM persons (no WHERE) = its district only
SELECT jxjy.set_claims('{"sub":"t-dist","role":"district_bureau","district":"320583","jti":"j1","request_id":"r1"}');
DO $$
DECLARE n bigint; other bigint;
BEGIN
    SELECT count(*), count(*) FILTER (WHERE district <> '320583') INTO n, other FROM jxjy.persons;
    IF n <> (SELECT ks_persons FROM fx) OR other <> 0 OR n = 0 THEN
        RAISE EXCEPTION 'district sees % persons (% elsewhere), expected %', n, other, (SELECT ks_persons FROM fx);
    END IF;
    IF EXISTS (SELECT 1 FROM jxjy.records WHERE cur_district <> '320583') THEN
        RAISE EXCEPTION 'district sees other districts'' records';
    END IF;
    IF EXISTS (SELECT 1 FROM jxjy.units WHERE district <> '320583') THEN
        RAISE EXCEPTION 'district sees other units';
    END IF;
    IF (SELECT count(*) FROM jxjy.districts) <> 10 THEN RAISE EXCEPTION 'districts not readable'; END IF;
END $$;
-- inserting a person into another district's unit fails (looks like a missing unit)
DO $$ BEGIN
    INSERT INTO jxjy.persons (national_id, name, unit, title_level, cycle_start_year)
    VALUES ('360426199101010071', '测试', (SELECT hq_unit FROM fx), 'intermediate', 2024);
    RAISE EXCEPTION 'district bureau placed a person in another district';
EXCEPTION WHEN foreign_key_violation OR insufficient_privilege THEN NULL;
END $$;
-- ... and into its own unit works, with an employment row
INSERT INTO jxjy.persons (national_id, name, unit, title_level, cycle_start_year)
VALUES ('360426199101010071', '测试', (SELECT ks_unit FROM fx), 'intermediate', 2024);
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM jxjy.person_employments e JOIN jxjy.persons p ON p.id = e.person
                    WHERE p.national_id = '360426199101010071' AND e.to_date IS NULL) THEN
        RAISE EXCEPTION 'no employment row for the new person';
    END IF;
END $$;
-- a unit account of another district cannot be created; of its own can
DO $$ BEGIN
    INSERT INTO jxjy.accounts (login, password_hash, role, unit)
    VALUES ('x-other', '$argon2id$v=19$m=65536,t=2,p=1$x$y', 'unit', (SELECT hq_unit FROM fx));
    RAISE EXCEPTION 'district bureau created an account for another district';
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
INSERT INTO jxjy.accounts (login, password_hash, role, unit)
VALUES ('x-own', '$argon2id$v=19$m=65536,t=2,p=1$x$y', 'unit', (SELECT ks_unit FROM fx));
SELECT jxjy.audit('create', 'person', 'x', NULL, '{"a":1}', '320583');

-- 3. industry authority: only professional records of its industry
SELECT jxjy.set_claims('{"sub":"t-ind","role":"industry_authority","industry":"health","jti":"j2"}');
DO $$
DECLARE n bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM jxjy.records WHERE category <> 'professional' OR cur_industry <> 'health') THEN
        RAISE EXCEPTION 'industry sees public or other-industry records';
    END IF;
    SELECT count(*) INTO n FROM jxjy.records;
    IF n <> (SELECT health_prof FROM fx) OR n = 0 THEN RAISE EXCEPTION 'industry sees % records', n; END IF;
    IF EXISTS (SELECT 1 FROM jxjy.persons WHERE industry <> 'health') THEN
        RAISE EXCEPTION 'industry sees other persons';
    END IF;
    IF EXISTS (SELECT 1 FROM jxjy.units) THEN RAISE EXCEPTION 'industry sees units'; END IF;
    IF EXISTS (SELECT 1 FROM jxjy.audit_log) THEN RAISE EXCEPTION 'industry reads audit'; END IF;
END $$;

-- 4. unit: its own persons; transfer to a unit of another district
SELECT jxjy.set_claims(format('{"sub":"t-unit","role":"unit","unit":"%s","jti":"j3"}', (SELECT ks_unit FROM fx))::jsonb);
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM jxjy.persons WHERE unit <> (SELECT ks_unit FROM fx))
       OR NOT EXISTS (SELECT 1 FROM jxjy.persons) THEN
        RAISE EXCEPTION 'unit sees other persons (or none)';
    END IF;
    IF EXISTS (SELECT 1 FROM jxjy.records WHERE cur_unit <> (SELECT ks_unit FROM fx)) THEN
        RAISE EXCEPTION 'unit sees other records';
    END IF;
END $$;
-- a unit cannot move its person by PATCH
DO $$ BEGIN
    UPDATE jxjy.persons SET unit = (SELECT hq_unit FROM fx) WHERE id = (SELECT mover FROM fx);
    RAISE EXCEPTION 'unit moved a person without a transfer';
EXCEPTION WHEN foreign_key_violation OR insufficient_privilege THEN NULL;
END $$;
INSERT INTO jxjy.transfers (person, to_unit, reason)
VALUES ((SELECT mover FROM fx), (SELECT hq_unit FROM fx), '调动');

-- the receiving unit accepts (it could not see the person before)
SELECT jxjy.set_claims(format('{"sub":"t-unit2","role":"unit","unit":"%s","jti":"j4"}', (SELECT hq_unit FROM fx))::jsonb);
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM jxjy.persons WHERE id = (SELECT mover FROM fx)) THEN
        RAISE EXCEPTION 'receiving unit sees the person before acceptance';
    END IF;
END $$;
UPDATE jxjy.transfers SET status = 'accepted' WHERE person = (SELECT mover FROM fx) AND status = 'requested';
DO $$
DECLARE n_cur bigint; n_reg bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM jxjy.persons WHERE id = (SELECT mover FROM fx)) THEN
        RAISE EXCEPTION 'receiving unit does not see its new person';
    END IF;
    SELECT count(*), count(*) FILTER (WHERE reg_unit = (SELECT ks_unit FROM fx)) INTO n_cur, n_reg
      FROM jxjy.records WHERE person = (SELECT mover FROM fx);
    IF n_cur = 0 OR n_reg <> n_cur THEN
        RAISE EXCEPTION 'new unit sees % records of the mover, % attributed to the old unit', n_cur, n_reg;
    END IF;
    IF (SELECT count(*) FROM jxjy.person_employments WHERE person = (SELECT mover FROM fx)) < 2 THEN
        RAISE EXCEPTION 'employment history not extended';
    END IF;
END $$;
-- the old unit sees neither the person nor the records any more
SELECT jxjy.set_claims(format('{"sub":"t-unit","role":"unit","unit":"%s","jti":"j5"}', (SELECT ks_unit FROM fx))::jsonb);
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM jxjy.persons WHERE id = (SELECT mover FROM fx))
       OR EXISTS (SELECT 1 FROM jxjy.records WHERE person = (SELECT mover FROM fx)) THEN
        RAISE EXCEPTION 'old unit still sees the mover';
    END IF;
END $$;
-- the new district bureau sees the whole history, the old one none of it
SELECT jxjy.set_claims('{"sub":"t-dist2","role":"district_bureau","district":"320505","jti":"j6"}');
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM jxjy.records WHERE person = (SELECT mover FROM fx)) THEN
        RAISE EXCEPTION 'new district does not see the history';
    END IF;
END $$;
SELECT jxjy.set_claims('{"sub":"t-dist","role":"district_bureau","district":"320583","jti":"j7"}');
DO $$ BEGIN
    IF EXISTS (SELECT 1 FROM jxjy.records WHERE person = (SELECT mover FROM fx)) THEN
        RAISE EXCEPTION 'old district still sees the history';
    END IF;
END $$;

-- 5. base: persons enrolled in its projects, records it registered
SELECT jxjy.set_claims(format('{"sub":"t-base","role":"base","base":"%s","jti":"j8"}', (SELECT ks_base FROM fx))::jsonb);
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM jxjy.persons) THEN RAISE EXCEPTION 'base sees no trainee'; END IF;
    IF EXISTS (SELECT 1 FROM jxjy.persons p WHERE NOT EXISTS (
                  SELECT 1 FROM jxjy.enrolments e WHERE e.person = p.id AND e.base = (SELECT ks_base FROM fx))) THEN
        RAISE EXCEPTION 'base sees a person not enrolled with it';
    END IF;
    IF EXISTS (SELECT 1 FROM jxjy.records WHERE base IS DISTINCT FROM (SELECT ks_base FROM fx)) THEN
        RAISE EXCEPTION 'base sees records it did not register';
    END IF;
    IF EXISTS (SELECT 1 FROM jxjy.projects WHERE base <> (SELECT ks_base FROM fx)) THEN
        RAISE EXCEPTION 'base sees other bases'' projects';
    END IF;
END $$;

-- 6. person: self only
SELECT jxjy.set_claims(format('{"sub":"t-p","role":"person","person":"%s","jti":"j9"}', (SELECT mover FROM fx))::jsonb);
DO $$ BEGIN
    IF (SELECT count(*) FROM jxjy.persons) <> 1
       OR EXISTS (SELECT 1 FROM jxjy.records WHERE person <> (SELECT mover FROM fx))
       OR NOT EXISTS (SELECT 1 FROM jxjy.records) THEN
        RAISE EXCEPTION 'person sees more or less than self';
    END IF;
    IF EXISTS (SELECT 1 FROM jxjy.projects WHERE status <> 'approved') THEN
        RAISE EXCEPTION 'person sees unapproved projects';
    END IF;
END $$;

-- 7. revoked token
RESET ROLE;
INSERT INTO jxjy.revoked_tokens (jti, expires_at) VALUES ('dead', now() + interval '1 hour');
SET ROLE jxjy_app;
DO $$ BEGIN
    PERFORM jxjy.set_claims('{"sub":"x","role":"city_bureau","jti":"dead"}');
    RAISE EXCEPTION 'revoked jti accepted';
EXCEPTION WHEN SQLSTATE 'JX401' THEN NULL;
END $$;

-- 8. authentication functions work for the gateway role without claims
DO $$ BEGIN
    PERFORM set_config('jxjy.claims', '', true);
    PERFORM jxjy.auth_note('x-own', false);
    IF (SELECT failures_last_hour FROM jxjy.auth_lookup('x-own', 'user')) <> 1 THEN
        RAISE EXCEPTION 'auth_lookup/auth_note do not agree';
    END IF;
    IF (SELECT password_hash FROM jxjy.auth_lookup('x-own', 'user')) IS NULL THEN
        RAISE EXCEPTION 'auth_lookup gives no hash';
    END IF;
    IF EXISTS (SELECT 1 FROM jxjy.auth_lookup('x-own', 'client')) THEN
        RAISE EXCEPTION 'auth_lookup ignores the kind';
    END IF;
END $$;

-- 9. audit log: append-only for everybody, chain intact
SELECT jxjy.set_claims('{"sub":"t-city","role":"city_bureau","jti":"j10","request_id":"rq"}');
SELECT jxjy.audit('verify', 'record', 'y', '{"status":"registered"}', '{"status":"verified"}', NULL);
DO $$ BEGIN
    UPDATE jxjy.audit_log SET action = 'x';
    RAISE EXCEPTION 'gateway updated audit_log';
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
RESET ROLE;
DO $$ BEGIN
    UPDATE jxjy.audit_log SET action = 'x';
    RAISE EXCEPTION 'owner updated audit_log';
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
DO $$ BEGIN
    DELETE FROM jxjy.audit_log;
    RAISE EXCEPTION 'owner deleted from audit_log';
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
DO $$ BEGIN
    TRUNCATE jxjy.audit_log;
    RAISE EXCEPTION 'owner truncated audit_log';
EXCEPTION WHEN insufficient_privilege THEN NULL;
END $$;
DO $$ BEGIN
    IF (SELECT count(*) FROM jxjy.audit_log) < 2 THEN RAISE EXCEPTION 'audit rows missing'; END IF;
    IF jxjy.audit_verify() IS NOT NULL THEN RAISE EXCEPTION 'audit chain broken at %', jxjy.audit_verify(); END IF;
    IF EXISTS (SELECT 1 FROM jxjy.audit_log a
                WHERE a.prev_hash IS DISTINCT FROM (SELECT b.hash FROM jxjy.audit_log b
                                                      WHERE b.id < a.id ORDER BY b.id DESC LIMIT 1)) THEN
        RAISE EXCEPTION 'audit rows do not link';
    END IF;
    IF (SELECT actor FROM jxjy.audit_log ORDER BY id DESC LIMIT 1) <> 't-city' THEN
        RAISE EXCEPTION 'audit actor not taken from the claims';
    END IF;
END $$;

\echo ALL RLS CHECKS PASSED
ROLLBACK;
