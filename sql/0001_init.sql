-- 0001_init.sql — the whole jxjy domain model, row-level security and the
-- functions the gateway calls.
--
-- Applied by the migration runner inside ONE transaction, by the owner (a
-- superuser or the database owner), under an advisory lock; the runner records
-- it in schema_migrations itself.  Hence: no BEGIN/COMMIT, no psql
-- meta-commands, no CREATE INDEX CONCURRENTLY; it must apply on an empty
-- database.  Rule ids (R-n) refer to /work/shared/spec/DOMAIN.md.
--
-- Design in one paragraph (details in sql/checks/README.md):
--   * Everything lives in schema jxjy, owned by the migrating user.  The
--     gateway logs in as jxjy_app, which owns nothing and has only the
--     table/column privileges listed at the end of this file.
--   * Every transaction of the gateway starts with
--     SELECT jxjy.set_claims($1::jsonb); policies read the claims through the
--     STABLE helpers jxjy.claim_*() wrapped in scalar sub-selects, so they are
--     evaluated once per statement (init plans) and usable as index keys.
--   * Jurisdiction is decided on denormalised columns, not by walking joins:
--     persons.district (their current unit's district), and on records the
--     person's CURRENT district/unit/industry (cur_*) next to the attribution
--     AT REGISTRATION (reg_*).  Triggers keep cur_* and person_year_summary's
--     district/unit/industry in step when a person moves (transfer) or a
--     unit's district changes.  A transfer touches one person's rows (tens to
--     hundreds); a read of 50 million records never joins persons.
--   * Triggers that must see beyond the caller's jurisdiction (cascades,
--     authentication, summaries) are SECURITY DEFINER functions that switch
--     the claims to a city claim with jxjy._elevate() and put the caller's
--     back with jxjy._restore() before returning; on an error the (sub)
--     transaction's abort restores them.  This also works when the owner is
--     not a superuser (FORCE ROW LEVEL SECURITY applies to the owner too; a
--     function SET clause on jxjy.claims would need a superuser to create).

CREATE SCHEMA jxjy;
COMMENT ON SCHEMA jxjy IS 'continuing education of professional technical personnel (Suzhou)';

-- ---------------------------------------------------------------------------
-- The gateway's login role.  Created once per cluster; a second database in
-- the same cluster finds it already there.
-- ---------------------------------------------------------------------------
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'jxjy_app') THEN
        CREATE ROLE jxjy_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT;
    ELSIF EXISTS (SELECT 1 FROM pg_catalog.pg_roles
                   WHERE rolname = 'jxjy_app'
                     AND (rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb)) THEN
        -- needs a superuser; failing here is right: RLS would not hold
        ALTER ROLE jxjy_app NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
END
$$;
ALTER ROLE jxjy_app SET statement_timeout = '5s';

REVOKE ALL ON SCHEMA jxjy FROM PUBLIC;
GRANT USAGE ON SCHEMA jxjy TO jxjy_app;
-- Functions are executable by PUBLIC when created; the end of this file
-- revokes that for every function in jxjy and grants EXECUTE one by one.
-- (A per-schema ALTER DEFAULT PRIVILEGES cannot revoke a global default, and a
-- global one would leak into other schemas; later migrations repeat the
-- REVOKE for the functions they add.)

-- ---------------------------------------------------------------------------
-- Enumerations (spellings are the API's; see API.md and DOMAIN.md)
-- ---------------------------------------------------------------------------
CREATE TYPE jxjy.role AS ENUM
    ('city_bureau', 'district_bureau', 'industry_authority', 'unit', 'base', 'person');
CREATE TYPE jxjy.title_level AS ENUM                                  -- R-2
    ('senior_full', 'senior_deputy', 'intermediate', 'junior_assistant', 'junior_member');
CREATE TYPE jxjy.category AS ENUM ('public', 'professional');         -- R-3
CREATE TYPE jxjy.class_type AS ENUM ('full_time', 'part_time', 'spare_time', 'online'); -- R-11
CREATE TYPE jxjy.record_source AS ENUM ('unit', 'base', 'achievement');
CREATE TYPE jxjy.record_status AS ENUM ('registered', 'verified', 'rejected', 'revoked'); -- R-13
CREATE TYPE jxjy.person_status AS ENUM ('in_service', 'left');
CREATE TYPE jxjy.unit_kind AS ENUM ('enterprise', 'institution');
CREATE TYPE jxjy.transfer_status AS ENUM ('requested', 'accepted', 'cancelled');
CREATE TYPE jxjy.achievement_status AS ENUM ('submitted', 'approved', 'rejected');
CREATE TYPE jxjy.outcome AS ENUM ('passed', 'failed');                -- assessments, inspections
CREATE TYPE jxjy.exam_result AS ENUM ('pending', 'passed', 'failed');
CREATE TYPE jxjy.enrolment_status AS ENUM ('enrolled', 'completed');
CREATE TYPE jxjy.base_level AS ENUM ('city', 'district');             -- R-16
CREATE TYPE jxjy.base_status AS ENUM ('applied', 'accredited', 'suspended', 'revoked');
CREATE TYPE jxjy.guide_status AS ENUM ('draft', 'published');         -- R-22
CREATE TYPE jxjy.project_status AS ENUM ('draft', 'submitted', 'approved', 'rejected'); -- R-19
CREATE TYPE jxjy.commendation_target AS ENUM ('unit', 'person');      -- R-27
CREATE TYPE jxjy.sample_of AS ENUM ('persons', 'records');            -- R-25
CREATE TYPE jxjy.account_kind AS ENUM ('user', 'client');
CREATE TYPE jxjy.idempotency_state AS ENUM ('in_progress', 'done');

-- ---------------------------------------------------------------------------
-- Claims.  The gateway's first statement in every transaction is
--   SELECT jxjy.set_claims($1::jsonb)
-- with the verified JWT claims {"sub","role","jti","request_id", and the
-- role's jurisdiction key district|industry|unit|base|person}.
-- ---------------------------------------------------------------------------

-- The whole claims object as jsonb, NULL when no claims are set.
CREATE FUNCTION jxjy.claims() RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(pg_catalog.current_setting('jxjy.claims', true), '')::jsonb $$;

-- One claim as text; NULL when absent or when no claims are set.
CREATE FUNCTION jxjy.claim(key text) RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(pg_catalog.current_setting('jxjy.claims', true), '')::jsonb ->> key $$;

CREATE FUNCTION jxjy.claim_role() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT jxjy.claim('role') $$;

CREATE FUNCTION jxjy.claim_sub() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT jxjy.claim('sub') $$;

-- A uuid-valued claim, NULL unless it is a well-formed uuid (a malformed
-- claim must mean "sees nothing", never an error inside a policy).
CREATE FUNCTION jxjy.claim_uuid(key text) RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN v ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN v::uuid END
      FROM (SELECT jxjy.claim(key) AS v) c
    $$;

-- The jurisdiction helpers answer only for the role that owns that kind of
-- jurisdiction, so an odd token carrying several keys cannot widen its view.
-- Their types equal the column types, so `col = (SELECT jxjy.claim_x())`
-- is an index condition.
CREATE FUNCTION jxjy.claim_district() RETURNS bpchar
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN jxjy.claim_role() = 'district_bureau' THEN jxjy.claim('district')::bpchar END $$;

CREATE FUNCTION jxjy.claim_industry() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN jxjy.claim_role() = 'industry_authority' THEN jxjy.claim('industry') END $$;

CREATE FUNCTION jxjy.claim_unit() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN jxjy.claim_role() = 'unit' THEN jxjy.claim_uuid('unit') END $$;

CREATE FUNCTION jxjy.claim_base() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN jxjy.claim_role() = 'base' THEN jxjy.claim_uuid('base') END $$;

CREATE FUNCTION jxjy.claim_person() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT CASE WHEN jxjy.claim_role() = 'person' THEN jxjy.claim_uuid('person') END $$;

-- The caller's account id (claim sub), NULL if sub is not a uuid.
CREATE FUNCTION jxjy.claim_sub_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT jxjy.claim_uuid('sub') $$;

-- Today in China Standard Time (DOMAIN: dates are CST calendar dates).
CREATE FUNCTION jxjy.today() RETURNS date
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT (pg_catalog.now() AT TIME ZONE 'Asia/Shanghai')::date $$;

-- Elevation for SECURITY DEFINER maintenance functions: switch the claims
-- to the city bureau (sub "system") and return the caller's, which
-- _restore() puts back.  Not executable by jxjy_app (it could set claims
-- with set_config anyway: RLS here guards against handler bugs, not a
-- compromised gateway).  If the function fails in between, the abort of the
-- (sub)transaction reverts the setting.
CREATE FUNCTION jxjy._elevate() RETURNS text
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
    prev text := coalesce(pg_catalog.current_setting('jxjy.claims', true), '');
BEGIN
    PERFORM pg_catalog.set_config('jxjy.claims', '{"role": "city_bureau", "sub": "system"}', true);
    RETURN prev;
END
$$;

CREATE FUNCTION jxjy._restore(prev text) RETURNS void
    LANGUAGE sql VOLATILE
    AS $$ SELECT pg_catalog.set_config('jxjy.claims', coalesce(prev, ''), true) $$;

-- ---------------------------------------------------------------------------
-- Token revocation and authentication bookkeeping (no persons' data; the
-- gateway reaches them only through the functions below, so they carry no
-- row-level security and jxjy_app has no SELECT on them).
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.revoked_tokens (
    jti        text PRIMARY KEY CHECK (char_length(jti) BETWEEN 1 AND 255),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX revoked_tokens_expires_at ON jxjy.revoked_tokens (expires_at);

CREATE TABLE jxjy.auth_attempts (
    login text NOT NULL,
    at    timestamptz NOT NULL DEFAULT now(),
    ok    boolean NOT NULL
);
CREATE INDEX auth_attempts_login_at ON jxjy.auth_attempts (login, at);
CREATE INDEX auth_attempts_at ON jxjy.auth_attempts (at);

-- true when the jti is revoked.  SECURITY DEFINER: jxjy_app cannot read
-- revoked_tokens itself.
CREATE FUNCTION jxjy.token_revoked(p_jti text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$ SELECT p_jti IS NOT NULL AND EXISTS (SELECT 1 FROM jxjy.revoked_tokens WHERE jti = p_jti) $$;

-- Sets the request's claims, transaction-local (empty again after COMMIT or
-- ROLLBACK, so a pooled connection never carries them to the next caller).
-- Raises SQLSTATE JX401 'token revoked' when the jti is revoked, 22023 when
-- the argument is not an object with a known role.
-- Deliberately no SET clause: it would make the set_config local to this call.
CREATE FUNCTION jxjy.set_claims(p_claims jsonb) RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
    IF p_claims IS NULL OR pg_catalog.jsonb_typeof(p_claims) <> 'object'
       OR NOT (p_claims ->> 'role') = ANY (pg_catalog.enum_range(NULL::jxjy.role)::text[]) THEN
        RAISE EXCEPTION 'invalid claims' USING ERRCODE = '22023';
    END IF;
    IF jxjy.token_revoked(p_claims ->> 'jti') THEN
        RAISE EXCEPTION 'token revoked' USING ERRCODE = 'JX401';
    END IF;
    PERFORM pg_catalog.set_config('jxjy.claims', p_claims::text, true);
END
$$;

-- ---------------------------------------------------------------------------
-- Reference data: districts, industries, forms (incl. conversion kinds)
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.districts (
    code            char(6) PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),   -- GB/T 2260
    name            text NOT NULL UNIQUE CHECK (name <> ''),
    functional_zone boolean NOT NULL DEFAULT false   -- e.g. 苏州工业园区 (no GB/T 2260 code)
);

CREATE TABLE jxjy.industries (
    code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,31}$'),
    name text NOT NULL UNIQUE CHECK (name <> '')
);

-- Forms of continuing education (R-10) and achievement kinds (R-9).  The
-- city bureau adds conversion kinds (R-9c) as rows with is_achievement =
-- true, so forms are data: records.form, achievements.kind and
-- rule_set_conversions.kind are text codes with a foreign key here.  The
-- composite keys (code, is_achievement) let those tables say which side
-- they accept: an achievement kind is only valid for source = 'achievement'.
CREATE TABLE jxjy.forms (
    code           text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,39}$'),
    name           text NOT NULL CHECK (name <> ''),
    is_achievement boolean NOT NULL,
    builtin        boolean NOT NULL DEFAULT false,     -- from the 2013 text; never removed
    created_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (code, is_achievement)
);

-- ---------------------------------------------------------------------------
-- Rule sets (R-6): rules are data.  The rule set for a person and year is the
-- person's industry's rule set effective on 1 January, else the city default
-- (industry IS NULL) effective then.  effective_to is exclusive (the first
-- day no longer in force) and NULL while open.  Sets of one scope never
-- overlap (trigger below); adding a later set closes the open one.
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.rule_sets (
    id                            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    industry                      text REFERENCES jxjy.industries (code),  -- NULL = city default
    name                          text NOT NULL CHECK (name <> ''),
    effective_from                date NOT NULL,
    effective_to                  date,
    cycle_years                   smallint NOT NULL CHECK (cycle_years IN (4, 5)),   -- R-8
    auto_verify_base_completions  boolean NOT NULL DEFAULT true,                      -- R-14
    -- R-17 accreditation thresholds, in percent
    city_senior_faculty_pct       numeric(5,2) NOT NULL CHECK (city_senior_faculty_pct BETWEEN 0 AND 100),
    city_certified_manager_pct    numeric(5,2) NOT NULL CHECK (city_certified_manager_pct BETWEEN 0 AND 100),
    district_senior_faculty_pct   numeric(5,2) NOT NULL CHECK (district_senior_faculty_pct BETWEEN 0 AND 100),
    district_certified_manager_pct numeric(5,2) NOT NULL CHECK (district_certified_manager_pct BETWEEN 0 AND 100),
    created_by                    text DEFAULT jxjy.claim_sub(),
    created_at                    timestamptz NOT NULL DEFAULT now(),
    CHECK (effective_to IS NULL OR effective_to > effective_from)
);
CREATE INDEX rule_sets_scope ON jxjy.rule_sets (industry, effective_from);

-- R-4/R-5 annual minimums by title level and category
CREATE TABLE jxjy.rule_set_minimums (
    rule_set           uuid NOT NULL REFERENCES jxjy.rule_sets (id) ON DELETE CASCADE,
    title_level        jxjy.title_level NOT NULL,
    public_hours       numeric(6,1) NOT NULL CHECK (public_hours >= 0),
    professional_hours numeric(6,1) NOT NULL CHECK (professional_hours >= 0),
    PRIMARY KEY (rule_set, title_level)
);

-- R-9 conversion table: hours range per achievement kind
CREATE TABLE jxjy.rule_set_conversions (
    rule_set       uuid NOT NULL REFERENCES jxjy.rule_sets (id) ON DELETE CASCADE,
    kind           text NOT NULL,
    kind_is_achievement boolean NOT NULL GENERATED ALWAYS AS (true) STORED,
    min_hours      numeric(6,1) NOT NULL CHECK (min_hours > 0),
    max_hours      numeric(6,1) NOT NULL,
    PRIMARY KEY (rule_set, kind),
    FOREIGN KEY (kind, kind_is_achievement) REFERENCES jxjy.forms (code, is_achievement),
    CHECK (max_hours >= min_hours)
);

-- Refuse overlapping rule sets of one scope; a new set starting after an
-- open-ended one closes it (so "add the 2015 rules" is one INSERT).
CREATE FUNCTION jxjy._rule_sets_no_overlap() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE jxjy.rule_sets r
           SET effective_to = NEW.effective_from
         WHERE r.industry IS NOT DISTINCT FROM NEW.industry
           AND r.effective_to IS NULL
           AND r.effective_from < NEW.effective_from;
    END IF;
    IF EXISTS (SELECT 1 FROM jxjy.rule_sets r
                WHERE r.id <> NEW.id
                  AND r.industry IS NOT DISTINCT FROM NEW.industry
                  AND daterange(r.effective_from, r.effective_to, '[)')
                      && daterange(NEW.effective_from, NEW.effective_to, '[)')) THEN
        RAISE EXCEPTION 'rule set overlaps another rule set of the same scope'
            USING ERRCODE = '23P01';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER rule_sets_no_overlap BEFORE INSERT OR UPDATE OF industry, effective_from, effective_to
    ON jxjy.rule_sets FOR EACH ROW EXECUTE FUNCTION jxjy._rule_sets_no_overlap();

-- ---------------------------------------------------------------------------
-- Generic row maintenance: updated_at and the version used for ETags
-- ---------------------------------------------------------------------------
CREATE FUNCTION jxjy._touch() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    NEW.updated_at := now();
    NEW.version := OLD.version + 1;
    RETURN NEW;
END
$$;

-- ---------------------------------------------------------------------------
-- Units (R-1, GB 32100 credit codes)
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.units (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- 18 characters over the 31-character alphabet without I, O, S, V, Z.
    -- The check character is verified by core (the single place of rules);
    -- a bureau may store a legal early code failing it with an override.
    credit_code       text NOT NULL UNIQUE CHECK (credit_code ~ '^[0-9A-HJ-NP-RTUW-Y]{18}$'),
    checksum_override boolean NOT NULL DEFAULT false,
    override_reason   text,
    name              text NOT NULL CHECK (name <> ''),
    kind              jxjy.unit_kind NOT NULL,
    district          char(6) NOT NULL REFERENCES jxjy.districts (code),
    industry          text NOT NULL REFERENCES jxjy.industries (code),
    contact_name      text,
    contact_phone     text,
    contact_email     text,
    address           text,
    created_by        text DEFAULT jxjy.claim_sub(),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    version           integer NOT NULL DEFAULT 1,
    CHECK (NOT checksum_override OR coalesce(override_reason, '') <> '')
);
CREATE INDEX units_district ON jxjy.units (district, created_at, id);
CREATE INDEX units_industry ON jxjy.units (industry, created_at, id);
CREATE INDEX units_created ON jxjy.units (created_at, id);
CREATE TRIGGER units_touch BEFORE UPDATE ON jxjy.units
    FOR EACH ROW EXECUTE FUNCTION jxjy._touch();

-- ---------------------------------------------------------------------------
-- Persons.  district is denormalised from the current unit (the permission
-- matrix: "a person's district is their current unit's district") and kept
-- by triggers; industry is the person's own (defaults to the unit's).
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.persons (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- GB 11643: 18 characters, stored upper-case; check digit and birth date
    -- are verified by core.
    national_id      char(18) NOT NULL UNIQUE CHECK (national_id ~ '^[0-9]{17}[0-9X]$'),
    name             text NOT NULL CHECK (name <> ''),
    unit             uuid NOT NULL REFERENCES jxjy.units (id),
    district         char(6) NOT NULL REFERENCES jxjy.districts (code),   -- trigger-maintained
    industry         text NOT NULL REFERENCES jxjy.industries (code),
    title_level      jxjy.title_level NOT NULL,
    speciality       text,
    cycle_start_year integer NOT NULL CHECK (cycle_start_year BETWEEN 1990 AND 2100),  -- R-8
    status           jxjy.person_status NOT NULL DEFAULT 'in_service',
    created_by       text DEFAULT jxjy.claim_sub(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          integer NOT NULL DEFAULT 1
);
CREATE INDEX persons_district ON jxjy.persons (district, created_at, id);
CREATE INDEX persons_unit ON jxjy.persons (unit, created_at, id);
CREATE INDEX persons_industry ON jxjy.persons (industry, created_at, id);
CREATE INDEX persons_created ON jxjy.persons (created_at, id);
CREATE TRIGGER persons_touch BEFORE UPDATE ON jxjy.persons
    FOR EACH ROW EXECUTE FUNCTION jxjy._touch();

-- Employment history: one row per stay in a unit; the current one has
-- to_date NULL.  Maintained by the persons triggers (insert, unit change).
CREATE TABLE jxjy.person_employments (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person    uuid NOT NULL REFERENCES jxjy.persons (id),
    unit      uuid NOT NULL REFERENCES jxjy.units (id),
    from_date date NOT NULL,
    to_date   date,
    transfer  uuid,                      -- the transfer that ended/started it, if any
    CHECK (to_date IS NULL OR to_date >= from_date)
);
CREATE UNIQUE INDEX person_employments_current ON jxjy.person_employments (person) WHERE to_date IS NULL;
CREATE INDEX person_employments_person ON jxjy.person_employments (person, from_date);
CREATE INDEX person_employments_unit ON jxjy.person_employments (unit);

-- Transfers (R-1): requested by the releasing side, accepted by the
-- receiving side.  from_*/to_district are filled by a trigger.
CREATE TABLE jxjy.transfers (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person        uuid NOT NULL REFERENCES jxjy.persons (id),
    from_unit     uuid NOT NULL REFERENCES jxjy.units (id),
    to_unit       uuid NOT NULL REFERENCES jxjy.units (id),
    from_district char(6) NOT NULL REFERENCES jxjy.districts (code),
    to_district   char(6) NOT NULL REFERENCES jxjy.districts (code),
    status        jxjy.transfer_status NOT NULL DEFAULT 'requested',
    reason        text,
    requested_by  text DEFAULT jxjy.claim_sub(),
    requested_at  timestamptz NOT NULL DEFAULT now(),
    accepted_by   text,
    accepted_at   timestamptz,
    cancelled_by  text,
    cancelled_at  timestamptz,
    version       integer NOT NULL DEFAULT 1,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (from_unit <> to_unit)
);
ALTER TABLE jxjy.person_employments
    ADD FOREIGN KEY (transfer) REFERENCES jxjy.transfers (id);
CREATE UNIQUE INDEX transfers_one_open ON jxjy.transfers (person) WHERE status = 'requested';
CREATE INDEX transfers_person ON jxjy.transfers (person, requested_at);
CREATE INDEX transfers_from_unit ON jxjy.transfers (from_unit, requested_at);
CREATE INDEX transfers_to_unit ON jxjy.transfers (to_unit, requested_at);
CREATE INDEX transfers_from_district ON jxjy.transfers (from_district, requested_at);
CREATE INDEX transfers_to_district ON jxjy.transfers (to_district, requested_at);
CREATE TRIGGER transfers_touch BEFORE UPDATE ON jxjy.transfers
    FOR EACH ROW EXECUTE FUNCTION jxjy._touch();

-- ---------------------------------------------------------------------------
-- Bases (R-16, R-17), faculty, managers, systems, inspections
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.bases (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name            text NOT NULL CHECK (name <> ''),
    level           jxjy.base_level NOT NULL,
    district        char(6) NOT NULL REFERENCES jxjy.districts (code),  -- where it is; for level district: whose bureau accredits it
    status          jxjy.base_status NOT NULL DEFAULT 'applied',
    status_reason   text,
    accredited_at   timestamptz,
    accredited_by   text,
    contact_name    text,
    contact_phone   text,
    address         text,
    created_by      text DEFAULT jxjy.claim_sub(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    version         integer NOT NULL DEFAULT 1
);
CREATE INDEX bases_district ON jxjy.bases (district, level);
CREATE INDEX bases_created ON jxjy.bases (created_at, id);
CREATE TRIGGER bases_touch BEFORE UPDATE ON jxjy.bases
    FOR EACH ROW EXECUTE FUNCTION jxjy._touch();

CREATE TABLE jxjy.base_faculty (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    base        uuid NOT NULL REFERENCES jxjy.bases (id) ON DELETE CASCADE,
    ordinal     integer NOT NULL DEFAULT 0,
    name        text NOT NULL CHECK (name <> ''),
    title_level jxjy.title_level NOT NULL
);
CREATE INDEX base_faculty_base ON jxjy.base_faculty (base, ordinal);

CREATE TABLE jxjy.base_managers (
    id        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    base      uuid NOT NULL REFERENCES jxjy.bases (id) ON DELETE CASCADE,
    ordinal   integer NOT NULL DEFAULT 0,
    name      text NOT NULL CHECK (name <> ''),
    certified boolean NOT NULL           -- holds a training-qualification certificate
);
CREATE INDEX base_managers_base ON jxjy.base_managers (base, ordinal);

-- the five R-17 management systems
CREATE TABLE jxjy.base_systems (
    base                     uuid PRIMARY KEY REFERENCES jxjy.bases (id) ON DELETE CASCADE,
    teaching_management      boolean NOT NULL DEFAULT false,
    trainee_assessment       boolean NOT NULL DEFAULT false,
    certificate_registration boolean NOT NULL DEFAULT false,
    fee_management           boolean NOT NULL DEFAULT false,
    effect_tracking          boolean NOT NULL DEFAULT false,
    updated_at               timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE jxjy.inspections (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    base         uuid NOT NULL REFERENCES jxjy.bases (id),
    inspected_on date NOT NULL,
    result       jxjy.outcome NOT NULL,
    score        numeric(5,1) CHECK (score BETWEEN 0 AND 100),
    findings     text,
    inspected_by text DEFAULT jxjy.claim_sub(),
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inspections_base ON jxjy.inspections (base, inspected_on);

-- ---------------------------------------------------------------------------
-- Plans, subjects, guides (R-19, R-21, R-22), late windows
-- ---------------------------------------------------------------------------
-- R-19: the city bureau lets projects of an already begun year be submitted
-- until `until`.
CREATE TABLE jxjy.late_windows (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    year       integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    until      date NOT NULL,
    reason     text NOT NULL CHECK (reason <> ''),
    created_by text DEFAULT jxjy.claim_sub(),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX late_windows_year ON jxjy.late_windows (year, until);

CREATE TABLE jxjy.public_subjects (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    year       integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    code       text NOT NULL CHECK (code <> ''),
    title      text NOT NULL CHECK (title <> ''),
    hours      numeric(6,1) NOT NULL CHECK (hours > 0),
    created_by text DEFAULT jxjy.claim_sub(),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (year, code)
);

CREATE TABLE jxjy.guides (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    industry     text NOT NULL REFERENCES jxjy.industries (code),
    year         integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    title        text NOT NULL CHECK (title <> ''),
    status       jxjy.guide_status NOT NULL DEFAULT 'draft',
    published_at timestamptz,
    filed_at     timestamptz,            -- 备案 with the HR bureau
    created_by   text DEFAULT jxjy.claim_sub(),
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    version      integer NOT NULL DEFAULT 1,
    CHECK (status = 'draft' OR published_at IS NOT NULL)
);
CREATE INDEX guides_industry ON jxjy.guides (industry, year);
CREATE INDEX guides_year ON jxjy.guides (year, status);
CREATE TRIGGER guides_touch BEFORE UPDATE ON jxjy.guides
    FOR EACH ROW EXECUTE FUNCTION jxjy._touch();

CREATE TABLE jxjy.guide_subjects (
    id    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    guide uuid NOT NULL REFERENCES jxjy.guides (id) ON DELETE CASCADE,
    code  text NOT NULL CHECK (code <> ''),
    title text NOT NULL CHECK (title <> ''),
    hours numeric(6,1) NOT NULL CHECK (hours > 0),      -- recommended hours
    UNIQUE (guide, code)
);

-- Yearly training plans: public (city bureau, industry NULL) or
-- professional (an industry authority).
CREATE TABLE jxjy.plans (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind       jxjy.category NOT NULL,
    industry   text REFERENCES jxjy.industries (code),
    year       integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    title      text NOT NULL CHECK (title <> ''),
    content    jsonb NOT NULL DEFAULT '{}'::jsonb,
    created_by text DEFAULT jxjy.claim_sub(),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    version    integer NOT NULL DEFAULT 1,
    CHECK ((kind = 'public') = (industry IS NULL))
);
CREATE INDEX plans_year ON jxjy.plans (year, kind, industry);
CREATE TRIGGER plans_touch BEFORE UPDATE ON jxjy.plans
    FOR EACH ROW EXECUTE FUNCTION jxjy._touch();

-- ---------------------------------------------------------------------------
-- Projects (R-18, R-19) and enrolments (R-20)
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.projects (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    base               uuid NOT NULL REFERENCES jxjy.bases (id),
    year               integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    title              text NOT NULL CHECK (title <> ''),
    category           jxjy.category NOT NULL,
    subject_public     uuid REFERENCES jxjy.public_subjects (id),
    subject_guide      uuid REFERENCES jxjy.guide_subjects (id),
    hours              numeric(6,1) NOT NULL CHECK (hours > 0),
    class_type         jxjy.class_type NOT NULL,
    capacity           integer NOT NULL CHECK (capacity > 0),
    fee                numeric(10,2) NOT NULL CHECK (fee >= 0),
    funding_government smallint NOT NULL CHECK (funding_government BETWEEN 0 AND 100),
    funding_unit       smallint NOT NULL CHECK (funding_unit BETWEEN 0 AND 100),
    funding_individual smallint NOT NULL CHECK (funding_individual BETWEEN 0 AND 100),
    status             jxjy.project_status NOT NULL DEFAULT 'draft',
    reason             text,
    submitted_at       timestamptz,
    decided_by         text,
    decided_at         timestamptz,
    created_by         text DEFAULT jxjy.claim_sub(),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    version            integer NOT NULL DEFAULT 1,
    -- R-18: the split is in percent and sums to 100
    CONSTRAINT projects_funding_sum
        CHECK (funding_government + funding_unit + funding_individual = 100),
    -- exactly one subject: a public subject or a subject of a guide
    CONSTRAINT projects_one_subject CHECK (num_nonnulls(subject_public, subject_guide) = 1),
    CONSTRAINT projects_subject_category CHECK ((subject_public IS NOT NULL) = (category = 'public'))
);
CREATE INDEX projects_base ON jxjy.projects (base, year);
CREATE INDEX projects_year ON jxjy.projects (year, status);
CREATE INDEX projects_created ON jxjy.projects (created_at, id);
CREATE INDEX projects_subject_public ON jxjy.projects (subject_public) WHERE subject_public IS NOT NULL;
CREATE INDEX projects_subject_guide ON jxjy.projects (subject_guide) WHERE subject_guide IS NOT NULL;
CREATE TRIGGER projects_touch BEFORE UPDATE ON jxjy.projects
    FOR EACH ROW EXECUTE FUNCTION jxjy._touch();

-- base and base_district are copied from the project (trigger) so that the
-- policies never join: a base sees its enrolments, a district bureau the
-- enrolments of the bases in its district.
CREATE TABLE jxjy.enrolments (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    project        uuid NOT NULL REFERENCES jxjy.projects (id),
    person         uuid NOT NULL REFERENCES jxjy.persons (id),
    base           uuid NOT NULL REFERENCES jxjy.bases (id),
    base_district  char(6) NOT NULL REFERENCES jxjy.districts (code),
    attended_hours numeric(6,1) NOT NULL DEFAULT 0 CHECK (attended_hours >= 0),
    exam_result    jxjy.exam_result NOT NULL DEFAULT 'pending',
    status         jxjy.enrolment_status NOT NULL DEFAULT 'enrolled',
    record         uuid,                 -- FK added after records
    evaluation     jsonb,                -- R-20 training-effect evaluation
    completed_at   timestamptz,
    created_by     text DEFAULT jxjy.claim_sub(),
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    version        integer NOT NULL DEFAULT 1,
    UNIQUE (project, person),
    CHECK (status <> 'completed' OR record IS NOT NULL)
);
CREATE INDEX enrolments_person ON jxjy.enrolments (person);
CREATE INDEX enrolments_base ON jxjy.enrolments (base, person);
CREATE INDEX enrolments_base_district ON jxjy.enrolments (base_district, created_at, id);
CREATE INDEX enrolments_project ON jxjy.enrolments (project, created_at, id);
CREATE TRIGGER enrolments_touch BEFORE UPDATE ON jxjy.enrolments
    FOR EACH ROW EXECUTE FUNCTION jxjy._touch();

-- ---------------------------------------------------------------------------
-- Achievements (R-9).  hours is what the reviewer fixed within the rule
-- set's range, credited_hours what R-9b lets count (may be 0).
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.achievements (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person             uuid NOT NULL REFERENCES jxjy.persons (id),
    kind               text NOT NULL,
    kind_is_achievement boolean NOT NULL GENERATED ALWAYS AS (true) STORED,
    year               integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    title              text NOT NULL CHECK (title <> ''),
    venue              text,                 -- journal, publisher or awarding body
    project_key        text,                 -- R-9b: awards of one project share it
    speciality_related boolean,              -- confirmed by the reviewer
    status             jxjy.achievement_status NOT NULL DEFAULT 'submitted',
    hours              numeric(6,1) CHECK (hours > 0),
    credited_hours     numeric(6,1) CHECK (credited_hours >= 0),
    evidence           text,
    reason             text,
    submitted_by       text DEFAULT jxjy.claim_sub(),
    reviewed_by        text,
    reviewed_at        timestamptz,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    version            integer NOT NULL DEFAULT 1,
    FOREIGN KEY (kind, kind_is_achievement) REFERENCES jxjy.forms (code, is_achievement),
    CHECK (status <> 'approved' OR (hours IS NOT NULL AND credited_hours IS NOT NULL
                                    AND credited_hours <= hours)),
    CHECK (status <> 'rejected' OR coalesce(reason, '') <> '')
);
CREATE INDEX achievements_person ON jxjy.achievements (person, year);
CREATE INDEX achievements_project_key ON jxjy.achievements (person, project_key) WHERE project_key IS NOT NULL;
CREATE INDEX achievements_created ON jxjy.achievements (created_at, id);
CREATE INDEX achievements_submitted ON jxjy.achievements (created_at, id) WHERE status = 'submitted';
CREATE TRIGGER achievements_touch BEFORE UPDATE ON jxjy.achievements
    FOR EACH ROW EXECUTE FUNCTION jxjy._touch();

-- ---------------------------------------------------------------------------
-- Records (R-12, R-13).  The city's biggest table (50 million over a decade).
--   reg_district, reg_unit, reg_industry: the person's jurisdiction AT
--     REGISTRATION — attribution; past records never move to a new unit's
--     credit (R-1).  Never updated.
--   cur_district, cur_unit, cur_industry: the person's CURRENT jurisdiction —
--     visibility; after a transfer the new district/unit/industry sees the
--     whole history and the old unit sees none of it.  Kept by the persons
--     trigger (a transfer updates that person's rows only).
--   base: the base whose project produced the record (source = 'base'):
--     what a base sees ("its own registrations").
-- All seven are filled by the insert trigger from the person and project;
-- the writer supplies none of them.
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.records (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person        uuid NOT NULL REFERENCES jxjy.persons (id),
    year          integer NOT NULL,
    start_date    date NOT NULL,
    end_date      date NOT NULL,
    category      jxjy.category NOT NULL,
    form          text NOT NULL,
    form_is_achievement boolean NOT NULL GENERATED ALWAYS AS (source = 'achievement') STORED,
    class_type    jxjy.class_type,               -- NULL only for achievements
    hours         numeric(6,1) NOT NULL CHECK (hours > 0),
    source        jxjy.record_source NOT NULL,
    project       uuid REFERENCES jxjy.projects (id),
    enrolment     uuid REFERENCES jxjy.enrolments (id),
    achievement   uuid REFERENCES jxjy.achievements (id),
    status        jxjy.record_status NOT NULL DEFAULT 'registered',
    evidence      text,
    reason        text,                           -- for rejected / revoked
    registered_by text DEFAULT jxjy.claim_sub(),
    verified_by   text,
    verified_at   timestamptz,
    revoked_by    text,
    revoked_at    timestamptz,
    base          uuid REFERENCES jxjy.bases (id),
    reg_district  char(6) NOT NULL REFERENCES jxjy.districts (code),
    reg_unit      uuid NOT NULL REFERENCES jxjy.units (id),
    reg_industry  text NOT NULL REFERENCES jxjy.industries (code),
    cur_district  char(6) NOT NULL REFERENCES jxjy.districts (code),
    cur_unit      uuid NOT NULL REFERENCES jxjy.units (id),
    cur_industry  text NOT NULL REFERENCES jxjy.industries (code),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    version       integer NOT NULL DEFAULT 1,
    FOREIGN KEY (form, form_is_achievement) REFERENCES jxjy.forms (code, is_achievement),
    CONSTRAINT records_year_of_end_date CHECK (year = extract(year FROM end_date)),
    CONSTRAINT records_dates_ordered CHECK (start_date <= end_date),
    -- API: hours <= 24 x days covered
    CONSTRAINT records_hours_fit_days CHECK (hours <= 24 * (end_date - start_date + 1)),
    CONSTRAINT records_source_base CHECK ((source = 'base') = (project IS NOT NULL AND enrolment IS NOT NULL)),
    CONSTRAINT records_source_achievement CHECK ((source = 'achievement') = (achievement IS NOT NULL)),
    CONSTRAINT records_achievement_professional CHECK (source <> 'achievement' OR category = 'professional'),
    CONSTRAINT records_class_type CHECK (source = 'achievement' OR class_type IS NOT NULL),
    CONSTRAINT records_reason CHECK (status NOT IN ('rejected', 'revoked') OR coalesce(reason, '') <> '')
);
-- person's certificate / compliance / summary refresh
CREATE INDEX records_person_year ON jxjy.records (person, year);
-- visibility + keyset pagination per jurisdiction (handlers add the
-- jurisdiction predicate explicitly so these are used; see README)
CREATE INDEX records_cur_district ON jxjy.records (cur_district, created_at, id);
CREATE INDEX records_cur_unit ON jxjy.records (cur_unit, created_at, id);
CREATE INDEX records_cur_industry ON jxjy.records (cur_industry, created_at, id);
CREATE INDEX records_base ON jxjy.records (base, created_at, id) WHERE base IS NOT NULL;
CREATE INDEX records_created ON jxjy.records (created_at, id);
-- verification queue
CREATE INDEX records_registered ON jxjy.records (cur_district, created_at) WHERE status = 'registered';
-- reports by attribution
CREATE INDEX records_reg_district_year ON jxjy.records (year, reg_district);
CREATE INDEX records_reg_unit_year ON jxjy.records (reg_unit, year);
CREATE INDEX records_project ON jxjy.records (project) WHERE project IS NOT NULL;
CREATE UNIQUE INDEX records_one_per_enrolment ON jxjy.records (enrolment) WHERE enrolment IS NOT NULL;
CREATE UNIQUE INDEX records_one_per_achievement ON jxjy.records (achievement) WHERE achievement IS NOT NULL;
-- API: a duplicate (same person, dates, category, form and hours as a record
-- that is not rejected) is a 409 — 23505 from this index
CREATE UNIQUE INDEX records_no_duplicate ON jxjy.records
    (person, start_date, end_date, category, form, hours) WHERE status <> 'rejected';

ALTER TABLE jxjy.enrolments
    ADD FOREIGN KEY (record) REFERENCES jxjy.records (id);
CREATE INDEX enrolments_record ON jxjy.enrolments (record) WHERE record IS NOT NULL;

-- ---------------------------------------------------------------------------
-- Cycle assessments (R-8)
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.cycle_assessments (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    person           uuid NOT NULL REFERENCES jxjy.persons (id),
    cycle_start_year integer NOT NULL CHECK (cycle_start_year BETWEEN 1990 AND 2100),
    cycle_end_year   integer NOT NULL,
    result           jxjy.outcome NOT NULL,
    assessed_on      date NOT NULL,
    notes            text,
    recorded_by      text DEFAULT jxjy.claim_sub(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    CHECK (cycle_end_year >= cycle_start_year)
);
CREATE INDEX cycle_assessments_person ON jxjy.cycle_assessments (person, cycle_start_year);

-- ---------------------------------------------------------------------------
-- Person-year summary: compliance as decided by core at write time (R-5),
-- kept per person and year; reports aggregate over it.  district, industry
-- and unit are the person's CURRENT jurisdiction (same rule as records.cur_*,
-- kept by the persons trigger), so that a bureau's report covers the persons
-- now in its scope and agrees with what it may read.  Written only through
-- jxjy.person_year_save().
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.person_year_summary (
    person                uuid NOT NULL REFERENCES jxjy.persons (id),
    year                  integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    rule_set              uuid NOT NULL REFERENCES jxjy.rule_sets (id),
    title_level           jxjy.title_level NOT NULL,
    district              char(6) NOT NULL REFERENCES jxjy.districts (code),
    industry              text NOT NULL REFERENCES jxjy.industries (code),
    unit                  uuid NOT NULL REFERENCES jxjy.units (id),
    public_verified       numeric(7,1) NOT NULL DEFAULT 0 CHECK (public_verified >= 0),
    professional_verified numeric(7,1) NOT NULL DEFAULT 0 CHECK (professional_verified >= 0),
    public_pending        numeric(7,1) NOT NULL DEFAULT 0 CHECK (public_pending >= 0),
    professional_pending  numeric(7,1) NOT NULL DEFAULT 0 CHECK (professional_pending >= 0),
    required_public       numeric(6,1) NOT NULL CHECK (required_public >= 0),
    required_professional numeric(6,1) NOT NULL CHECK (required_professional >= 0),
    compliant             boolean NOT NULL,
    decided_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (person, year)
);
CREATE INDEX person_year_summary_district ON jxjy.person_year_summary (year, district);
CREATE INDEX person_year_summary_industry ON jxjy.person_year_summary (year, industry);
CREATE INDEX person_year_summary_unit ON jxjy.person_year_summary (year, unit);
CREATE INDEX person_year_summary_rule_set ON jxjy.person_year_summary (rule_set);

-- ---------------------------------------------------------------------------
-- Evaluation (R-26), awards (R-27), samples (R-25)
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.unit_evaluations (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    unit            uuid NOT NULL REFERENCES jxjy.units (id),
    district        char(6) NOT NULL REFERENCES jxjy.districts (code),  -- the unit's, trigger-maintained
    year            integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    grade           text NOT NULL CHECK (grade <> ''),
    notes           text,
    compliance_rate numeric(5,4) CHECK (compliance_rate BETWEEN 0 AND 1),   -- a fraction, as in reports
    evaluated_by    text DEFAULT jxjy.claim_sub(),
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (unit, year)
);
CREATE INDEX unit_evaluations_district ON jxjy.unit_evaluations (district, year);

-- target_id is a unit or a person (no FK: polymorphic; the trigger checks it
-- exists and copies its district, frozen at the time of the commendation).
CREATE TABLE jxjy.commendations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    year        integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    target_type jxjy.commendation_target NOT NULL,
    target_id   uuid NOT NULL,
    title       text NOT NULL CHECK (title <> ''),
    district    char(6) NOT NULL REFERENCES jxjy.districts (code),
    created_by  text DEFAULT jxjy.claim_sub(),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX commendations_year ON jxjy.commendations (year, district);
CREATE INDEX commendations_target ON jxjy.commendations (target_type, target_id);

-- A reproducible sample (R-25).  district/industry/unit/base: the
-- jurisdiction it was drawn in (filled from the claims when not given);
-- that is who may read it.
CREATE TABLE jxjy.samples (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    year       integer NOT NULL CHECK (year BETWEEN 1990 AND 2100),
    scope      jsonb NOT NULL DEFAULT '{}'::jsonb,
    of         jxjy.sample_of NOT NULL,
    size       integer NOT NULL CHECK (size > 0),
    seed       bigint NOT NULL,
    stratify   text,
    district   char(6) REFERENCES jxjy.districts (code),
    industry   text REFERENCES jxjy.industries (code),
    unit       uuid REFERENCES jxjy.units (id),
    base       uuid REFERENCES jxjy.bases (id),
    created_by text DEFAULT jxjy.claim_sub(),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(district, industry, unit, base) <= 1)
);
CREATE INDEX samples_created ON jxjy.samples (created_at, id);

CREATE TABLE jxjy.sample_items (
    sample  uuid NOT NULL REFERENCES jxjy.samples (id) ON DELETE CASCADE,
    ordinal integer NOT NULL CHECK (ordinal >= 0),
    item    uuid NOT NULL,                 -- a person or a record id (samples.of)
    PRIMARY KEY (sample, ordinal)
);

-- ---------------------------------------------------------------------------
-- Accounts.  password_hash is an Argon2id string from libsodium
-- crypto_pwhash_str, computed by the gateway; jxjy_app cannot SELECT it
-- (column grants) and reads it only through jxjy.auth_lookup().
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.accounts (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    login         text NOT NULL UNIQUE CHECK (char_length(login) BETWEEN 1 AND 128),
    kind          jxjy.account_kind NOT NULL DEFAULT 'user',
    password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    role          jxjy.role NOT NULL,
    district      char(6) REFERENCES jxjy.districts (code),
    industry      text REFERENCES jxjy.industries (code),
    unit          uuid REFERENCES jxjy.units (id),
    base          uuid REFERENCES jxjy.bases (id),
    person        uuid REFERENCES jxjy.persons (id),
    display_name  text,
    disabled      boolean NOT NULL DEFAULT false,
    locked_until  timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text DEFAULT jxjy.claim_sub(),
    -- exactly the role's own jurisdiction column is set
    CONSTRAINT accounts_jurisdiction CHECK (
        num_nonnulls(district, industry, unit, base, person)
            = CASE role WHEN 'city_bureau' THEN 0 ELSE 1 END
        AND (district IS NULL OR role = 'district_bureau')
        AND (industry IS NULL OR role = 'industry_authority')
        AND (unit     IS NULL OR role = 'unit')
        AND (base     IS NULL OR role = 'base')
        AND (person   IS NULL OR role = 'person')),
    -- HR-system clients belong to units (and bases' systems)
    CONSTRAINT accounts_client_role CHECK (kind = 'user' OR role IN ('unit', 'base'))
);
CREATE INDEX accounts_unit ON jxjy.accounts (unit) WHERE unit IS NOT NULL;
CREATE INDEX accounts_base ON jxjy.accounts (base) WHERE base IS NOT NULL;
CREATE INDEX accounts_person ON jxjy.accounts (person) WHERE person IS NOT NULL;
CREATE INDEX accounts_district ON jxjy.accounts (district) WHERE district IS NOT NULL;
CREATE INDEX accounts_created ON jxjy.accounts (created_at, id);

-- ---------------------------------------------------------------------------
-- Idempotency keys (API: POST with Idempotency-Key, scoped to the caller)
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.idempotency_keys (
    scope            text NOT NULL,                 -- the caller's sub
    key              text NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    request_hash     bytea NOT NULL,
    state            jxjy.idempotency_state NOT NULL DEFAULT 'in_progress',
    status_code      integer CHECK (status_code BETWEEN 100 AND 599),
    response_headers jsonb,
    response_body    bytea,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key),
    CHECK (state = 'in_progress' OR status_code IS NOT NULL)
);
CREATE INDEX idempotency_keys_created ON jxjy.idempotency_keys (created_at);

-- ---------------------------------------------------------------------------
-- Audit log: append-only, hash-chained.  hash = sha256(prev_hash ||
-- canonical content); the chain head lives in audit_chain_head (owner-only,
-- no RLS) so the trigger never depends on what the caller may read.
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.audit_log (
    id         bigint PRIMARY KEY,        -- from audit_log_id_seq, assigned under the chain lock
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text,
    role       text,
    action     text NOT NULL CHECK (action <> ''),
    entity     text NOT NULL CHECK (entity <> ''),
    entity_id  text,
    before     jsonb,
    after      jsonb,
    request_id text,
    district   char(6) REFERENCES jxjy.districts (code),   -- the entity's district, for district bureaus
    prev_hash  bytea,
    hash       bytea NOT NULL
);
CREATE SEQUENCE jxjy.audit_log_id_seq OWNED BY jxjy.audit_log.id;
CREATE INDEX audit_log_entity ON jxjy.audit_log (entity, entity_id, id);
CREATE INDEX audit_log_actor ON jxjy.audit_log (actor, id);
CREATE INDEX audit_log_at ON jxjy.audit_log (at);
CREATE INDEX audit_log_district ON jxjy.audit_log (district, id) WHERE district IS NOT NULL;

CREATE TABLE jxjy.audit_chain_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id   bigint,
    last_hash bytea
);
INSERT INTO jxjy.audit_chain_head (singleton) VALUES (true);

-- ===========================================================================
-- Triggers.  Two kinds:
--   * invoker triggers (no SECURITY DEFINER) read what the caller may read;
--     a referenced row outside the caller's jurisdiction looks exactly like a
--     missing one (23503), so the API answers 404/422 without revealing it;
--   * elevated functions (SECURITY DEFINER, claims switched to a city claim
--     by jxjy._elevate() and put back by jxjy._restore()) do the cascades
--     that must reach beyond the caller's view.
-- ===========================================================================

-- Units: a unit may change only its contact details; only bureaus (or the
-- owner, without claims) may set checksum_override (GB 32100 early codes).
CREATE FUNCTION jxjy._units_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    r text := jxjy.claim_role();
BEGIN
    IF r IS NOT NULL AND r NOT IN ('city_bureau', 'district_bureau')
       AND NEW.checksum_override
       AND (TG_OP = 'INSERT' OR NOT OLD.checksum_override
            OR NEW.credit_code IS DISTINCT FROM OLD.credit_code) THEN
        RAISE EXCEPTION 'only a bureau may override the credit code checksum'
            USING ERRCODE = '42501';
    END IF;
    IF TG_OP = 'UPDATE' AND r = 'unit'
       AND (NEW.credit_code, NEW.checksum_override, NEW.override_reason, NEW.name,
            NEW.kind, NEW.district, NEW.industry)
           IS DISTINCT FROM
           (OLD.credit_code, OLD.checksum_override, OLD.override_reason, OLD.name,
            OLD.kind, OLD.district, OLD.industry) THEN
        RAISE EXCEPTION 'a unit may only update its contact details'
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER units_guard BEFORE INSERT OR UPDATE ON jxjy.units
    FOR EACH ROW EXECUTE FUNCTION jxjy._units_guard();

-- A unit moved to another district (administrative re-division): its
-- persons (and through them their records and summaries) and its
-- evaluations follow.
CREATE FUNCTION jxjy._units_district_cascade() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    UPDATE jxjy.persons SET district = NEW.district
     WHERE unit = NEW.id AND district IS DISTINCT FROM NEW.district;
    UPDATE jxjy.unit_evaluations SET district = NEW.district
     WHERE unit = NEW.id AND district IS DISTINCT FROM NEW.district;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
CREATE TRIGGER units_district_cascade AFTER UPDATE OF district ON jxjy.units
    FOR EACH ROW WHEN (NEW.district IS DISTINCT FROM OLD.district)
    EXECUTE FUNCTION jxjy._units_district_cascade();

-- Persons: national_id upper-case; district from the (visible) unit;
-- industry defaults to the unit's.
CREATE FUNCTION jxjy._persons_fill() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    u_district char(6);
    u_industry text;
BEGIN
    NEW.national_id := upper(NEW.national_id);
    IF TG_OP = 'INSERT' OR NEW.unit IS DISTINCT FROM OLD.unit
       OR NEW.district IS DISTINCT FROM OLD.district THEN
        SELECT u.district, u.industry INTO u_district, u_industry
          FROM jxjy.units u WHERE u.id = NEW.unit;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unit % not found', NEW.unit USING ERRCODE = '23503';
        END IF;
        NEW.district := u_district;
        IF TG_OP = 'INSERT' THEN
            NEW.industry := coalesce(NEW.industry, u_industry);
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER persons_fill BEFORE INSERT OR UPDATE ON jxjy.persons
    FOR EACH ROW EXECUTE FUNCTION jxjy._persons_fill();

-- A new person starts an employment row in their unit.
CREATE FUNCTION jxjy._persons_employment_start() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    INSERT INTO jxjy.person_employments (person, unit, from_date)
    VALUES (NEW.id, NEW.unit, jxjy.today());
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
CREATE TRIGGER persons_employment_start AFTER INSERT ON jxjy.persons
    FOR EACH ROW EXECUTE FUNCTION jxjy._persons_employment_start();

-- A person's jurisdiction changed (transfer, unit re-division, industry):
-- the current-jurisdiction copies follow, the employment history gets a new
-- row.  Registration-time attribution (records.reg_*) never changes.
CREATE FUNCTION jxjy._persons_moved() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    UPDATE jxjy.records
       SET cur_district = NEW.district, cur_unit = NEW.unit, cur_industry = NEW.industry
     WHERE person = NEW.id
       AND (cur_district, cur_unit, cur_industry)
           IS DISTINCT FROM (NEW.district, NEW.unit, NEW.industry);
    UPDATE jxjy.person_year_summary
       SET district = NEW.district, unit = NEW.unit, industry = NEW.industry
     WHERE person = NEW.id
       AND (district, unit, industry) IS DISTINCT FROM (NEW.district, NEW.unit, NEW.industry);
    IF NEW.unit IS DISTINCT FROM OLD.unit THEN
        UPDATE jxjy.person_employments
           SET to_date = greatest(from_date, jxjy.today())
         WHERE person = NEW.id AND to_date IS NULL;
        INSERT INTO jxjy.person_employments (person, unit, from_date)
        VALUES (NEW.id, NEW.unit, jxjy.today());
    END IF;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
CREATE TRIGGER persons_moved AFTER UPDATE OF unit, district, industry ON jxjy.persons
    FOR EACH ROW
    WHEN ((NEW.unit, NEW.district, NEW.industry) IS DISTINCT FROM (OLD.unit, OLD.district, OLD.industry))
    EXECUTE FUNCTION jxjy._persons_moved();

-- Transfers.  The receiving unit is usually outside the requester's view,
-- so the lookups are elevated; the RLS WITH CHECK then proves the requester
-- is the releasing side (from_unit is the person's real current unit).
CREATE FUNCTION jxjy._transfer_endpoints(p_person uuid, p_to_unit uuid,
                                         OUT from_unit uuid, OUT from_district char(6),
                                         OUT to_district char(6))
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    SELECT p.unit, p.district INTO from_unit, from_district
      FROM jxjy.persons p WHERE p.id = p_person;
    SELECT u.district INTO to_district FROM jxjy.units u WHERE u.id = p_to_unit;
    PERFORM jxjy._restore(prev);
END
$$;

CREATE FUNCTION jxjy._transfers_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    e record;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT * INTO e FROM jxjy._transfer_endpoints(NEW.person, NEW.to_unit);
        IF e.from_unit IS NULL THEN
            RAISE EXCEPTION 'person % not found', NEW.person USING ERRCODE = '23503';
        END IF;
        IF e.to_district IS NULL THEN
            RAISE EXCEPTION 'unit % not found', NEW.to_unit USING ERRCODE = '23503';
        END IF;
        IF NEW.from_unit IS NOT NULL AND NEW.from_unit <> e.from_unit THEN
            RAISE EXCEPTION 'the person is not in unit %', NEW.from_unit USING ERRCODE = 'JX409';
        END IF;
        NEW.from_unit := e.from_unit;
        NEW.from_district := e.from_district;
        NEW.to_district := e.to_district;
        NEW.status := 'requested';
        NEW.requested_at := now();
        RETURN NEW;
    END IF;
    -- UPDATE: requested -> accepted | cancelled, nothing else
    IF (NEW.person, NEW.from_unit, NEW.to_unit, NEW.from_district, NEW.to_district,
        NEW.requested_by, NEW.requested_at)
       IS DISTINCT FROM
       (OLD.person, OLD.from_unit, OLD.to_unit, OLD.from_district, OLD.to_district,
        OLD.requested_by, OLD.requested_at) THEN
        RAISE EXCEPTION 'a transfer request cannot be edited' USING ERRCODE = '42501';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status THEN
        IF OLD.status <> 'requested' THEN
            RAISE EXCEPTION 'transfer is already %', OLD.status USING ERRCODE = 'JX409';
        END IF;
        IF NEW.status = 'accepted' THEN
            NEW.accepted_by := coalesce(NEW.accepted_by, jxjy.claim_sub());
            NEW.accepted_at := now();
        ELSIF NEW.status = 'cancelled' THEN
            NEW.cancelled_by := coalesce(NEW.cancelled_by, jxjy.claim_sub());
            NEW.cancelled_at := now();
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER transfers_guard BEFORE INSERT OR UPDATE ON jxjy.transfers
    FOR EACH ROW EXECUTE FUNCTION jxjy._transfers_guard();

-- Accepting a transfer moves the person (the receiving side cannot see the
-- person before, hence elevated).  The persons trigger does the rest.
CREATE FUNCTION jxjy._transfers_accepted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    UPDATE jxjy.persons SET unit = NEW.to_unit
     WHERE id = NEW.person AND unit = NEW.from_unit;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the person is no longer in the releasing unit' USING ERRCODE = 'JX409';
    END IF;
    UPDATE jxjy.person_employments SET transfer = NEW.id
     WHERE person = NEW.person AND to_date IS NULL;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
CREATE TRIGGER transfers_accepted AFTER UPDATE OF status ON jxjy.transfers
    FOR EACH ROW WHEN (NEW.status = 'accepted' AND OLD.status = 'requested')
    EXECUTE FUNCTION jxjy._transfers_accepted();

-- Records: fill the denormalised jurisdiction from the person (visible to
-- the caller) and the base from the project; check the links agree.
CREATE FUNCTION jxjy._records_fill() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    p record;
BEGIN
    SELECT pe.district, pe.unit, pe.industry INTO p
      FROM jxjy.persons pe WHERE pe.id = NEW.person;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'person % not found', NEW.person USING ERRCODE = '23503';
    END IF;
    NEW.reg_district := p.district;  NEW.cur_district := p.district;
    NEW.reg_unit := p.unit;          NEW.cur_unit := p.unit;
    NEW.reg_industry := p.industry;  NEW.cur_industry := p.industry;
    NEW.base := NULL;
    IF NEW.project IS NOT NULL THEN
        SELECT pr.base INTO NEW.base FROM jxjy.projects pr WHERE pr.id = NEW.project;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'project % not found', NEW.project USING ERRCODE = '23503';
        END IF;
    END IF;
    IF NEW.enrolment IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM jxjy.enrolments en
            WHERE en.id = NEW.enrolment AND en.person = NEW.person
              AND en.project IS NOT DISTINCT FROM NEW.project) THEN
        RAISE EXCEPTION 'enrolment % not found for this person and project', NEW.enrolment
            USING ERRCODE = '23503';
    END IF;
    IF NEW.achievement IS NOT NULL AND NOT EXISTS (
           SELECT 1 FROM jxjy.achievements a
            WHERE a.id = NEW.achievement AND a.person = NEW.person AND a.kind = NEW.form) THEN
        RAISE EXCEPTION 'achievement % not found for this person and form', NEW.achievement
            USING ERRCODE = '23503';
    END IF;
    IF NEW.status = 'verified' THEN
        NEW.verified_by := coalesce(NEW.verified_by, jxjy.claim_sub());
        NEW.verified_at := coalesce(NEW.verified_at, now());
    END IF;
    NEW.version := 1;
    RETURN NEW;
END
$$;
CREATE TRIGGER records_fill BEFORE INSERT ON jxjy.records
    FOR EACH ROW EXECUTE FUNCTION jxjy._records_fill();

-- R-13 as an invariant (core decides; this refuses what can never be
-- right): the content of a record is never edited; registered -> verified |
-- rejected, verified -> revoked; rejected and revoked are final.  The
-- cur_* columns are the only ones the persons trigger moves.
CREATE FUNCTION jxjy._records_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF (NEW.person, NEW.year, NEW.start_date, NEW.end_date, NEW.category, NEW.form,
        NEW.class_type, NEW.hours, NEW.source, NEW.project, NEW.enrolment, NEW.achievement,
        NEW.registered_by, NEW.base, NEW.reg_district, NEW.reg_unit, NEW.reg_industry,
        NEW.created_at)
       IS DISTINCT FROM
       (OLD.person, OLD.year, OLD.start_date, OLD.end_date, OLD.category, OLD.form,
        OLD.class_type, OLD.hours, OLD.source, OLD.project, OLD.enrolment, OLD.achievement,
        OLD.registered_by, OLD.base, OLD.reg_district, OLD.reg_unit, OLD.reg_industry,
        OLD.created_at) THEN
        RAISE EXCEPTION 'a record''s content cannot be changed' USING ERRCODE = '42501';
    END IF;
    IF (NEW.status, NEW.reason, NEW.evidence, NEW.verified_by, NEW.verified_at,
        NEW.revoked_by, NEW.revoked_at)
       IS NOT DISTINCT FROM
       (OLD.status, OLD.reason, OLD.evidence, OLD.verified_by, OLD.verified_at,
        OLD.revoked_by, OLD.revoked_at) THEN
        NEW.version := OLD.version;          -- only cur_* moved: same ETag
        NEW.updated_at := OLD.updated_at;
        RETURN NEW;
    END IF;
    IF NOT ((OLD.status = 'registered' AND NEW.status IN ('registered', 'verified', 'rejected'))
            OR (OLD.status = 'verified' AND NEW.status = 'revoked')) THEN
        RAISE EXCEPTION 'record is %: it cannot become %', OLD.status, NEW.status
            USING ERRCODE = 'JX409';
    END IF;
    IF NEW.status = 'verified' AND OLD.status <> 'verified' THEN
        NEW.verified_by := coalesce(NEW.verified_by, jxjy.claim_sub());
        NEW.verified_at := coalesce(NEW.verified_at, now());
    ELSIF NEW.status = 'rejected' AND OLD.status <> 'rejected' THEN
        NEW.verified_by := coalesce(NEW.verified_by, jxjy.claim_sub());
        NEW.verified_at := coalesce(NEW.verified_at, now());
    ELSIF NEW.status = 'revoked' AND OLD.status <> 'revoked' THEN
        NEW.revoked_by := coalesce(NEW.revoked_by, jxjy.claim_sub());
        NEW.revoked_at := coalesce(NEW.revoked_at, now());
    END IF;
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
CREATE TRIGGER records_guard BEFORE UPDATE ON jxjy.records
    FOR EACH ROW EXECUTE FUNCTION jxjy._records_guard();

-- Enrolments: base and its district come from the (visible) project.
CREATE FUNCTION jxjy._enrolments_fill() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.project, NEW.person) IS DISTINCT FROM (OLD.project, OLD.person) THEN
            RAISE EXCEPTION 'an enrolment cannot move to another project or person'
                USING ERRCODE = '42501';
        END IF;
        NEW.base := OLD.base;
        NEW.base_district := OLD.base_district;
        RETURN NEW;
    END IF;
    SELECT b.id, b.district INTO NEW.base, NEW.base_district
      FROM jxjy.projects pr JOIN jxjy.bases b ON b.id = pr.base
     WHERE pr.id = NEW.project;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'project % not found', NEW.project USING ERRCODE = '23503';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER enrolments_fill BEFORE INSERT OR UPDATE ON jxjy.enrolments
    FOR EACH ROW EXECUTE FUNCTION jxjy._enrolments_fill();

-- Unit evaluations: district from the (visible) unit.
CREATE FUNCTION jxjy._unit_evaluations_fill() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.unit IS DISTINCT FROM OLD.unit
       OR NEW.district IS DISTINCT FROM OLD.district THEN
        SELECT u.district INTO NEW.district FROM jxjy.units u WHERE u.id = NEW.unit;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'unit % not found', NEW.unit USING ERRCODE = '23503';
        END IF;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER unit_evaluations_fill BEFORE INSERT OR UPDATE ON jxjy.unit_evaluations
    FOR EACH ROW EXECUTE FUNCTION jxjy._unit_evaluations_fill();

-- Commendations: the target must exist (and be visible); its district is
-- copied.
CREATE FUNCTION jxjy._commendations_fill() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NEW.target_type = 'unit' THEN
        SELECT u.district INTO NEW.district FROM jxjy.units u WHERE u.id = NEW.target_id;
    ELSE
        SELECT p.district INTO NEW.district FROM jxjy.persons p WHERE p.id = NEW.target_id;
    END IF;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% % not found', NEW.target_type, NEW.target_id USING ERRCODE = '23503';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER commendations_fill BEFORE INSERT ON jxjy.commendations
    FOR EACH ROW EXECUTE FUNCTION jxjy._commendations_fill();

-- Samples: drawn within the caller's jurisdiction unless one is given.
CREATE FUNCTION jxjy._samples_fill() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF num_nonnulls(NEW.district, NEW.industry, NEW.unit, NEW.base) = 0 THEN
        NEW.district := jxjy.claim_district();
        NEW.industry := jxjy.claim_industry();
        NEW.unit := jxjy.claim_unit();
        NEW.base := jxjy.claim_base();
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER samples_fill BEFORE INSERT ON jxjy.samples
    FOR EACH ROW EXECUTE FUNCTION jxjy._samples_fill();

-- ===========================================================================
-- Audit log
-- ===========================================================================

-- The canonical content of an audit row and its chained hash.  jsonb text
-- output is canonical (keys sorted, one spacing), the timestamp is written
-- in UTC, so the digest does not depend on session settings.
CREATE FUNCTION jxjy.audit_digest(p_prev bytea, p_row jxjy.audit_log) RETURNS bytea
    LANGUAGE sql STABLE
    AS $$
    SELECT pg_catalog.sha256(coalesce(p_prev, '\x'::bytea) || pg_catalog.convert_to(
        pg_catalog.jsonb_build_object(
            'id', p_row.id,
            'at', pg_catalog.to_char(p_row.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
            'actor', p_row.actor, 'role', p_row.role, 'action', p_row.action,
            'entity', p_row.entity, 'entity_id', p_row.entity_id,
            'before', p_row.before, 'after', p_row.after,
            'request_id', p_row.request_id, 'district', p_row.district)::text,
        'UTF8'))
    $$;

-- Chains each new row to the previous one.  The advisory lock serialises
-- writers (held to commit); the id is taken under it, so id order is chain
-- order; the head row is read FOR UPDATE, so a rolled-back writer leaves the
-- head untouched and the next row links to the last committed one.  Insert
-- audit rows last in a transaction: the lock is held until commit.
CREATE FUNCTION jxjy._audit_chain() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    c jsonb := jxjy.claims();
    prev bytea;
BEGIN
    IF c IS NOT NULL THEN        -- the gateway: who and when come from the claims, not the writer
        NEW.actor := c ->> 'sub';
        NEW.role := c ->> 'role';
        NEW.request_id := coalesce(c ->> 'request_id', NEW.request_id);
        NEW.at := now();
    ELSE
        NEW.actor := coalesce(NEW.actor, session_user::text);
        NEW.at := coalesce(NEW.at, now());
    END IF;
    PERFORM pg_advisory_xact_lock(hashtextextended('jxjy.audit_log', 0));
    SELECT h.last_hash INTO prev FROM jxjy.audit_chain_head h WHERE h.singleton FOR UPDATE;
    NEW.id := nextval('jxjy.audit_log_id_seq');
    NEW.prev_hash := prev;
    NEW.hash := jxjy.audit_digest(prev, NEW);
    UPDATE jxjy.audit_chain_head SET last_id = NEW.id, last_hash = NEW.hash WHERE singleton;
    RETURN NEW;
END
$$;
CREATE TRIGGER audit_log_chain BEFORE INSERT ON jxjy.audit_log
    FOR EACH ROW EXECUTE FUNCTION jxjy._audit_chain();

CREATE FUNCTION jxjy._audit_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON jxjy.audit_log
    FOR EACH ROW EXECUTE FUNCTION jxjy._audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON jxjy.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION jxjy._audit_append_only();

-- Convenience for the gateway: actor, role, request_id and time come from
-- the claims (the trigger).  p_district: the entity's district, so that the
-- district bureau can read the entry.  Returns nothing, so that it works
-- for entries the caller cannot read back.
CREATE FUNCTION jxjy.audit(p_action text, p_entity text, p_entity_id text,
                           p_before jsonb, p_after jsonb, p_district text DEFAULT NULL)
    RETURNS void
    LANGUAGE sql VOLATILE
    AS $$
    INSERT INTO jxjy.audit_log (action, entity, entity_id, before, after, district)
    VALUES (p_action, p_entity, p_entity_id, p_before, p_after, p_district::char(6))
    $$;

-- The id of the first audit row whose hash or link is wrong; NULL when the
-- whole chain verifies.  For the owner / operations (jxjyctl).
CREATE FUNCTION jxjy.audit_verify() RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
    first_broken bigint;
BEGIN
    SELECT min(id) INTO first_broken FROM (
        SELECT a.id,
               a.prev_hash IS DISTINCT FROM lag(a.hash) OVER (ORDER BY a.id)
               OR a.hash IS DISTINCT FROM jxjy.audit_digest(a.prev_hash, a) AS broken
          FROM jxjy.audit_log a) t
     WHERE broken;
    PERFORM jxjy._restore(prev);
    RETURN first_broken;
END
$$;

-- ===========================================================================
-- Authentication (called by the gateway before it has claims)
-- ===========================================================================

-- One row for the login of that kind ('user' or 'client'), or none.
CREATE FUNCTION jxjy.auth_lookup(p_login text, p_kind text)
    RETURNS TABLE (account_id uuid, password_hash text, role jxjy.role,
                   district char(6), industry text, unit uuid, base uuid, person uuid,
                   disabled boolean, locked_until timestamptz, failures_last_hour integer)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
#variable_conflict use_column
DECLARE
    prev text := jxjy._elevate();
BEGIN
    RETURN QUERY
    SELECT a.id, a.password_hash, a.role, a.district, a.industry, a.unit, a.base, a.person,
           a.disabled, a.locked_until,
           (SELECT count(*)::integer FROM jxjy.auth_attempts t
             WHERE t.login = a.login AND NOT t.ok AND t.at > now() - interval '1 hour')
      FROM jxjy.accounts a
     WHERE a.login = p_login AND a.kind::text = p_kind;
    PERFORM jxjy._restore(prev);
END
$$;

-- Records a login attempt (also for unknown logins, so they are throttled
-- too); now and then prunes attempts older than a day.
CREATE FUNCTION jxjy.auth_note(p_login text, p_ok boolean) RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
BEGIN
    INSERT INTO jxjy.auth_attempts (login, ok) VALUES (p_login, p_ok);
    IF random() < 0.01 THEN
        DELETE FROM jxjy.auth_attempts WHERE at < now() - interval '1 day';
    END IF;
END
$$;

-- Housekeeping: expired revocations, idempotency keys past 24 h, attempts
-- older than a day.  Returns the number of rows removed.
CREATE FUNCTION jxjy.prune_expired() RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
    n bigint;
    total bigint := 0;
BEGIN
    DELETE FROM jxjy.revoked_tokens WHERE expires_at < now();
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;
    DELETE FROM jxjy.idempotency_keys WHERE created_at < now() - interval '24 hours';
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;
    DELETE FROM jxjy.auth_attempts WHERE at < now() - interval '1 day';
    GET DIAGNOSTICS n = ROW_COUNT; total := total + n;
    PERFORM jxjy._restore(prev);
    RETURN total;
END
$$;

-- ===========================================================================
-- Person-year summary.  Core decides compliance; these two functions give it
-- the inputs and store its decision, whatever part of the person's records
-- the caller may read (a base completing an enrolment sees only its own).
-- Call person_year_hours first: it takes a transaction lock on the
-- person-year, so concurrent writers of the same person-year serialise and
-- the second one (READ COMMITTED) sees the first one's records.
-- ===========================================================================
CREATE FUNCTION jxjy._person_year_hours(p_person uuid, p_year integer,
        OUT public_verified numeric, OUT professional_verified numeric,
        OUT public_pending numeric, OUT professional_pending numeric,
        OUT title_level jxjy.title_level, OUT industry text)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(p_person::text || '/' || p_year, 2013));
    SELECT coalesce(sum(r.hours) FILTER (WHERE r.status = 'verified' AND r.category = 'public'), 0),
           coalesce(sum(r.hours) FILTER (WHERE r.status = 'verified' AND r.category = 'professional'), 0),
           coalesce(sum(r.hours) FILTER (WHERE r.status = 'registered' AND r.category = 'public'), 0),
           coalesce(sum(r.hours) FILTER (WHERE r.status = 'registered' AND r.category = 'professional'), 0)
      INTO public_verified, professional_verified, public_pending, professional_pending
      FROM jxjy.records r
     WHERE r.person = p_person AND r.year = p_year;
    SELECT p.title_level, p.industry INTO title_level, industry
      FROM jxjy.persons p WHERE p.id = p_person;
    PERFORM jxjy._restore(prev);
END
$$;

CREATE FUNCTION jxjy._person_year_store(p_person uuid, p_year integer, p_rule_set uuid,
        p_title_level jxjy.title_level,
        p_public_verified numeric, p_professional_verified numeric,
        p_public_pending numeric, p_professional_pending numeric,
        p_required_public numeric, p_required_professional numeric, p_compliant boolean)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    INSERT INTO jxjy.person_year_summary AS s
           (person, year, rule_set, title_level, district, industry, unit,
            public_verified, professional_verified, public_pending, professional_pending,
            required_public, required_professional, compliant, decided_at)
    SELECT p.id, p_year, p_rule_set, p_title_level, p.district, p.industry, p.unit,
           p_public_verified, p_professional_verified, p_public_pending, p_professional_pending,
           p_required_public, p_required_professional, p_compliant, now()
      FROM jxjy.persons p WHERE p.id = p_person
    ON CONFLICT (person, year) DO UPDATE
       SET rule_set = EXCLUDED.rule_set, title_level = EXCLUDED.title_level,
           district = EXCLUDED.district, industry = EXCLUDED.industry, unit = EXCLUDED.unit,
           public_verified = EXCLUDED.public_verified,
           professional_verified = EXCLUDED.professional_verified,
           public_pending = EXCLUDED.public_pending,
           professional_pending = EXCLUDED.professional_pending,
           required_public = EXCLUDED.required_public,
           required_professional = EXCLUDED.required_professional,
           compliant = EXCLUDED.compliant, decided_at = EXCLUDED.decided_at;
    PERFORM jxjy._restore(prev);
END
$$;

-- true when the caller may see the person or one of their records of that
-- year (invoker rights: the caller's RLS decides).
CREATE FUNCTION jxjy._may_touch_person_year(p_person uuid, p_year integer) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
    SELECT EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = p_person)
        OR EXISTS (SELECT 1 FROM jxjy.records r WHERE r.person = p_person AND r.year = p_year)
    $$;

-- Hours of a person-year (verified and pending, by category) plus the
-- person's title level and industry.  Locks the person-year until commit.
-- P0002 when the caller may not touch the person.
CREATE FUNCTION jxjy.person_year_hours(p_person uuid, p_year integer,
        OUT public_verified numeric, OUT professional_verified numeric,
        OUT public_pending numeric, OUT professional_pending numeric,
        OUT title_level jxjy.title_level, OUT industry text)
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
    IF NOT jxjy._may_touch_person_year(p_person, p_year) THEN
        RAISE EXCEPTION 'person % not found', p_person USING ERRCODE = 'P0002';
    END IF;
    SELECT h.public_verified, h.professional_verified, h.public_pending, h.professional_pending,
           h.title_level, h.industry
      INTO public_verified, professional_verified, public_pending, professional_pending,
           title_level, industry
      FROM jxjy._person_year_hours(p_person, p_year) h;
END
$$;

-- Stores core's decision for a person-year (insert or replace); district,
-- industry and unit are the person's current ones.
CREATE FUNCTION jxjy.person_year_save(p_person uuid, p_year integer, p_rule_set uuid,
        p_title_level jxjy.title_level,
        p_public_verified numeric, p_professional_verified numeric,
        p_public_pending numeric, p_professional_pending numeric,
        p_required_public numeric, p_required_professional numeric, p_compliant boolean)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
    IF NOT jxjy._may_touch_person_year(p_person, p_year) THEN
        RAISE EXCEPTION 'person % not found', p_person USING ERRCODE = 'P0002';
    END IF;
    PERFORM jxjy._person_year_store(p_person, p_year, p_rule_set, p_title_level,
        p_public_verified, p_professional_verified, p_public_pending, p_professional_pending,
        p_required_public, p_required_professional, p_compliant);
END
$$;

-- ===========================================================================
-- Row-level security.  Enabled and FORCED on every table the gateway can
-- reach (the owner is subject to it too).  Without claims every policy is
-- false: claim_role() is NULL.  Shorthands in the policies:
--   (SELECT jxjy.claim_role())      the caller's role
--   (SELECT jxjy.claim_district())  etc.: the caller's jurisdiction, NULL for
--                                   other roles (so those arms are false)
-- The scalar sub-selects make each claim an init plan: evaluated once per
-- statement, and an index key where compared to an indexed column.
-- Read policies are FOR SELECT; write policies FOR INSERT / UPDATE (USING
-- and WITH CHECK) / DELETE.  PostgreSQL also applies the SELECT policies to
-- UPDATE/DELETE with a WHERE and to RETURNING.
-- ===========================================================================

-- reference tables: everybody with claims reads ---------------------------
ALTER TABLE jxjy.districts ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.districts FORCE ROW LEVEL SECURITY;
CREATE POLICY districts_read ON jxjy.districts FOR SELECT
    USING ((SELECT jxjy.claim_role()) IS NOT NULL);

ALTER TABLE jxjy.industries ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.industries FORCE ROW LEVEL SECURITY;
CREATE POLICY industries_read ON jxjy.industries FOR SELECT
    USING ((SELECT jxjy.claim_role()) IS NOT NULL);

ALTER TABLE jxjy.forms ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.forms FORCE ROW LEVEL SECURITY;
CREATE POLICY forms_read ON jxjy.forms FOR SELECT
    USING ((SELECT jxjy.claim_role()) IS NOT NULL);
-- R-9c: the city bureau adds conversion kinds
CREATE POLICY forms_insert ON jxjy.forms FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');

-- rule sets: read all; create: city any scope, industry authority its own
ALTER TABLE jxjy.rule_sets ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.rule_sets FORCE ROW LEVEL SECURITY;
CREATE POLICY rule_sets_read ON jxjy.rule_sets FOR SELECT
    USING ((SELECT jxjy.claim_role()) IS NOT NULL);
CREATE POLICY rule_sets_insert ON jxjy.rule_sets FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR industry = (SELECT jxjy.claim_industry()));
CREATE POLICY rule_sets_update ON jxjy.rule_sets FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR industry = (SELECT jxjy.claim_industry()))
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR industry = (SELECT jxjy.claim_industry()));

ALTER TABLE jxjy.rule_set_minimums ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.rule_set_minimums FORCE ROW LEVEL SECURITY;
CREATE POLICY rule_set_minimums_read ON jxjy.rule_set_minimums FOR SELECT
    USING ((SELECT jxjy.claim_role()) IS NOT NULL);
CREATE POLICY rule_set_minimums_insert ON jxjy.rule_set_minimums FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM jxjy.rule_sets r WHERE r.id = rule_set
                          AND ((SELECT jxjy.claim_role()) = 'city_bureau'
                               OR r.industry = (SELECT jxjy.claim_industry()))));

ALTER TABLE jxjy.rule_set_conversions ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.rule_set_conversions FORCE ROW LEVEL SECURITY;
CREATE POLICY rule_set_conversions_read ON jxjy.rule_set_conversions FOR SELECT
    USING ((SELECT jxjy.claim_role()) IS NOT NULL);
CREATE POLICY rule_set_conversions_insert ON jxjy.rule_set_conversions FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM jxjy.rule_sets r WHERE r.id = rule_set
                          AND ((SELECT jxjy.claim_role()) = 'city_bureau'
                               OR r.industry = (SELECT jxjy.claim_industry()))));

ALTER TABLE jxjy.public_subjects ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.public_subjects FORCE ROW LEVEL SECURITY;
CREATE POLICY public_subjects_read ON jxjy.public_subjects FOR SELECT
    USING ((SELECT jxjy.claim_role()) IS NOT NULL);
CREATE POLICY public_subjects_insert ON jxjy.public_subjects FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');
CREATE POLICY public_subjects_update ON jxjy.public_subjects FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau')
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');

ALTER TABLE jxjy.late_windows ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.late_windows FORCE ROW LEVEL SECURITY;
CREATE POLICY late_windows_read ON jxjy.late_windows FOR SELECT
    USING ((SELECT jxjy.claim_role()) IS NOT NULL);
CREATE POLICY late_windows_insert ON jxjy.late_windows FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');
CREATE POLICY late_windows_update ON jxjy.late_windows FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau')
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');

-- plans: public by the city bureau, professional by the industry authority
ALTER TABLE jxjy.plans ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.plans FORCE ROW LEVEL SECURITY;
CREATE POLICY plans_read ON jxjy.plans FOR SELECT
    USING ((SELECT jxjy.claim_role()) IS NOT NULL);
CREATE POLICY plans_insert ON jxjy.plans FOR INSERT
    WITH CHECK ((kind = 'public' AND (SELECT jxjy.claim_role()) = 'city_bureau')
                OR (kind = 'professional' AND industry = (SELECT jxjy.claim_industry())));
CREATE POLICY plans_update ON jxjy.plans FOR UPDATE
    USING ((kind = 'public' AND (SELECT jxjy.claim_role()) = 'city_bureau')
           OR (kind = 'professional' AND industry = (SELECT jxjy.claim_industry())))
    WITH CHECK ((kind = 'public' AND (SELECT jxjy.claim_role()) = 'city_bureau')
                OR (kind = 'professional' AND industry = (SELECT jxjy.claim_industry())));

-- guides: published ones for everybody, drafts for their industry authority
ALTER TABLE jxjy.guides ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.guides FORCE ROW LEVEL SECURITY;
CREATE POLICY guides_read ON jxjy.guides FOR SELECT
    USING ((status = 'published' AND (SELECT jxjy.claim_role()) IS NOT NULL)
           OR industry = (SELECT jxjy.claim_industry()));
CREATE POLICY guides_insert ON jxjy.guides FOR INSERT
    WITH CHECK (industry = (SELECT jxjy.claim_industry()));
CREATE POLICY guides_update ON jxjy.guides FOR UPDATE
    USING (industry = (SELECT jxjy.claim_industry()))
    WITH CHECK (industry = (SELECT jxjy.claim_industry()));

ALTER TABLE jxjy.guide_subjects ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.guide_subjects FORCE ROW LEVEL SECURITY;
CREATE POLICY guide_subjects_read ON jxjy.guide_subjects FOR SELECT
    USING (EXISTS (SELECT 1 FROM jxjy.guides g WHERE g.id = guide));
CREATE POLICY guide_subjects_insert ON jxjy.guide_subjects FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM jxjy.guides g WHERE g.id = guide AND g.status = 'draft'
                          AND g.industry = (SELECT jxjy.claim_industry())));
CREATE POLICY guide_subjects_update ON jxjy.guide_subjects FOR UPDATE
    USING (EXISTS (SELECT 1 FROM jxjy.guides g WHERE g.id = guide AND g.status = 'draft'
                     AND g.industry = (SELECT jxjy.claim_industry())))
    WITH CHECK (EXISTS (SELECT 1 FROM jxjy.guides g WHERE g.id = guide AND g.status = 'draft'
                          AND g.industry = (SELECT jxjy.claim_industry())));
CREATE POLICY guide_subjects_delete ON jxjy.guide_subjects FOR DELETE
    USING (EXISTS (SELECT 1 FROM jxjy.guides g WHERE g.id = guide AND g.status = 'draft'
                     AND g.industry = (SELECT jxjy.claim_industry())));

-- units: city all, district bureau its district, unit itself -------------
ALTER TABLE jxjy.units ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.units FORCE ROW LEVEL SECURITY;
CREATE POLICY units_read ON jxjy.units FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR id = (SELECT jxjy.claim_unit()));
CREATE POLICY units_insert ON jxjy.units FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR district = (SELECT jxjy.claim_district()));
-- a unit updates its contact details only (trigger units_guard)
CREATE POLICY units_update ON jxjy.units FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR id = (SELECT jxjy.claim_unit()))
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR district = (SELECT jxjy.claim_district())
                OR id = (SELECT jxjy.claim_unit()));

-- persons ------------------------------------------------------------------
-- read: city all; district bureau: current district; industry authority:
-- its industry; unit: its current staff; base: persons enrolled in its
-- projects (enrolments carry the base; that table's policy never refers
-- back to persons, so there is no policy recursion); person: self.
ALTER TABLE jxjy.persons ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.persons FORCE ROW LEVEL SECURITY;
CREATE POLICY persons_read ON jxjy.persons FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR industry = (SELECT jxjy.claim_industry())
           OR unit = (SELECT jxjy.claim_unit())
           OR id = (SELECT jxjy.claim_person())
           OR id IN (SELECT e.person FROM jxjy.enrolments e
                      WHERE e.base = (SELECT jxjy.claim_base())));
-- create / update / import: city, district bureau (its district), unit (its
-- own staff).  district is recomputed from the unit by the trigger before
-- the check, so a bureau cannot place a person in another district's unit.
CREATE POLICY persons_insert ON jxjy.persons FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR district = (SELECT jxjy.claim_district())
                OR unit = (SELECT jxjy.claim_unit()));
CREATE POLICY persons_update ON jxjy.persons FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR unit = (SELECT jxjy.claim_unit()))
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR district = (SELECT jxjy.claim_district())
                OR unit = (SELECT jxjy.claim_unit()));

-- person-level child tables: visible when the person is (persons' own
-- policy decides, evaluated through the sub-select), bases excluded.
ALTER TABLE jxjy.person_employments ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.person_employments FORCE ROW LEVEL SECURITY;
CREATE POLICY person_employments_read ON jxjy.person_employments FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR ((SELECT jxjy.claim_role()) IN ('district_bureau', 'industry_authority', 'unit', 'person')
               AND EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = person)));
-- written by the persons triggers (elevated) and the owner
CREATE POLICY person_employments_write ON jxjy.person_employments FOR ALL
    USING ((SELECT jxjy.claim_role()) = 'city_bureau')
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');

ALTER TABLE jxjy.achievements ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.achievements FORCE ROW LEVEL SECURITY;
CREATE POLICY achievements_read ON jxjy.achievements FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR ((SELECT jxjy.claim_role()) IN ('district_bureau', 'industry_authority', 'unit', 'person')
               AND EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = person)));
-- submit: the person's unit or the person
CREATE POLICY achievements_insert ON jxjy.achievements FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) IN ('unit', 'person')
                AND EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = person));
-- approve / reject: city, district bureau, industry authority
CREATE POLICY achievements_update ON jxjy.achievements FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR ((SELECT jxjy.claim_role()) IN ('district_bureau', 'industry_authority')
               AND EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = person)))
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR ((SELECT jxjy.claim_role()) IN ('district_bureau', 'industry_authority')
                    AND EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = person)));

ALTER TABLE jxjy.cycle_assessments ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.cycle_assessments FORCE ROW LEVEL SECURITY;
CREATE POLICY cycle_assessments_read ON jxjy.cycle_assessments FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR ((SELECT jxjy.claim_role()) IN ('district_bureau', 'industry_authority', 'unit', 'person')
               AND EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = person)));
CREATE POLICY cycle_assessments_insert ON jxjy.cycle_assessments FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR ((SELECT jxjy.claim_role()) IN ('district_bureau', 'unit')
                    AND EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = person)));

-- transfers: both sides and the person -------------------------------------
ALTER TABLE jxjy.transfers ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.transfers FORCE ROW LEVEL SECURITY;
CREATE POLICY transfers_read ON jxjy.transfers FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR from_district = (SELECT jxjy.claim_district())
           OR to_district = (SELECT jxjy.claim_district())
           OR from_unit = (SELECT jxjy.claim_unit())
           OR to_unit = (SELECT jxjy.claim_unit())
           OR person = (SELECT jxjy.claim_person()));
-- request: the releasing side (from_* are the person's real current ones)
CREATE POLICY transfers_insert ON jxjy.transfers FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR from_district = (SELECT jxjy.claim_district())
                OR from_unit = (SELECT jxjy.claim_unit()));
-- accept: the receiving side; cancel: either side
CREATE POLICY transfers_update ON jxjy.transfers FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR from_district = (SELECT jxjy.claim_district())
           OR to_district = (SELECT jxjy.claim_district())
           OR from_unit = (SELECT jxjy.claim_unit())
           OR to_unit = (SELECT jxjy.claim_unit()))
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR (status = 'accepted'
                    AND (to_district = (SELECT jxjy.claim_district())
                         OR to_unit = (SELECT jxjy.claim_unit())))
                OR (status = 'cancelled'
                    AND (from_district = (SELECT jxjy.claim_district())
                         OR to_district = (SELECT jxjy.claim_district())
                         OR from_unit = (SELECT jxjy.claim_unit())
                         OR to_unit = (SELECT jxjy.claim_unit())))
                OR (status = 'requested'
                    AND (from_district = (SELECT jxjy.claim_district())
                         OR from_unit = (SELECT jxjy.claim_unit()))));

-- records ------------------------------------------------------------------
-- read: city all; district bureau / unit: the person's CURRENT district /
-- unit (cur_*), so the whole history follows a transfer and the old unit
-- sees none of it; industry authority: professional records of persons now
-- in its industry; base: what it registered; person: self.
ALTER TABLE jxjy.records ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.records FORCE ROW LEVEL SECURITY;
CREATE POLICY records_read ON jxjy.records FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR cur_district = (SELECT jxjy.claim_district())
           OR (cur_industry = (SELECT jxjy.claim_industry()) AND category = 'professional')
           OR cur_unit = (SELECT jxjy.claim_unit())
           OR base = (SELECT jxjy.claim_base())
           OR person = (SELECT jxjy.claim_person()));
-- register: city, district bureau, unit (its staff, source unit), base (its
-- projects' completions), and an achievement's record by its reviewer.
CREATE POLICY records_insert ON jxjy.records FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR cur_district = (SELECT jxjy.claim_district())
                OR (cur_unit = (SELECT jxjy.claim_unit()) AND source = 'unit')
                OR (base = (SELECT jxjy.claim_base()) AND source = 'base')
                OR (cur_industry = (SELECT jxjy.claim_industry())
                    AND source = 'achievement' AND category = 'professional'));
-- verify / reject / revoke: city, district bureau, industry authority
-- (professional only)
CREATE POLICY records_update ON jxjy.records FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR cur_district = (SELECT jxjy.claim_district())
           OR (cur_industry = (SELECT jxjy.claim_industry()) AND category = 'professional'))
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR cur_district = (SELECT jxjy.claim_district())
                OR (cur_industry = (SELECT jxjy.claim_industry()) AND category = 'professional'));

-- person-year summary: like records (current jurisdiction); written only by
-- jxjy.person_year_save (elevated) and the owner's recompute.
ALTER TABLE jxjy.person_year_summary ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.person_year_summary FORCE ROW LEVEL SECURITY;
CREATE POLICY person_year_summary_read ON jxjy.person_year_summary FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR industry = (SELECT jxjy.claim_industry())
           OR unit = (SELECT jxjy.claim_unit())
           OR person = (SELECT jxjy.claim_person()));
CREATE POLICY person_year_summary_write ON jxjy.person_year_summary FOR ALL
    USING ((SELECT jxjy.claim_role()) = 'city_bureau')
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');

-- bases --------------------------------------------------------------------
-- read: everybody except that a district bureau sees its district's bases
-- and a base itself only.  create/accredit/inspect/suspend/revoke: city
-- any, district bureau the district-level bases of its district.
ALTER TABLE jxjy.bases ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.bases FORCE ROW LEVEL SECURITY;
CREATE POLICY bases_read ON jxjy.bases FOR SELECT
    USING ((SELECT jxjy.claim_role()) IN ('city_bureau', 'industry_authority', 'unit', 'person')
           OR district = (SELECT jxjy.claim_district())
           OR id = (SELECT jxjy.claim_base()));
CREATE POLICY bases_insert ON jxjy.bases FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR (level = 'district' AND district = (SELECT jxjy.claim_district())));
CREATE POLICY bases_update ON jxjy.bases FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR (level = 'district' AND district = (SELECT jxjy.claim_district())))
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR (level = 'district' AND district = (SELECT jxjy.claim_district())));

-- faculty roster (PUT replaces it: insert + delete): city, district bureau
-- (bases in its district), the base itself; read with the base.
ALTER TABLE jxjy.base_faculty ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.base_faculty FORCE ROW LEVEL SECURITY;
CREATE POLICY base_faculty_read ON jxjy.base_faculty FOR SELECT
    USING (EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base));
CREATE POLICY base_faculty_write ON jxjy.base_faculty FOR ALL
    USING ((SELECT jxjy.claim_role()) IN ('city_bureau', 'district_bureau', 'base')
           AND EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base))
    WITH CHECK ((SELECT jxjy.claim_role()) IN ('city_bureau', 'district_bureau', 'base')
                AND EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base));

ALTER TABLE jxjy.base_managers ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.base_managers FORCE ROW LEVEL SECURITY;
CREATE POLICY base_managers_read ON jxjy.base_managers FOR SELECT
    USING (EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base));
CREATE POLICY base_managers_write ON jxjy.base_managers FOR ALL
    USING ((SELECT jxjy.claim_role()) IN ('city_bureau', 'district_bureau', 'base')
           AND EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base))
    WITH CHECK ((SELECT jxjy.claim_role()) IN ('city_bureau', 'district_bureau', 'base')
                AND EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base));

ALTER TABLE jxjy.base_systems ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.base_systems FORCE ROW LEVEL SECURITY;
CREATE POLICY base_systems_read ON jxjy.base_systems FOR SELECT
    USING (EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base));
CREATE POLICY base_systems_write ON jxjy.base_systems FOR ALL
    USING ((SELECT jxjy.claim_role()) IN ('city_bureau', 'district_bureau', 'base')
           AND EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base))
    WITH CHECK ((SELECT jxjy.claim_role()) IN ('city_bureau', 'district_bureau', 'base')
                AND EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base));

ALTER TABLE jxjy.inspections ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.inspections FORCE ROW LEVEL SECURITY;
CREATE POLICY inspections_read ON jxjy.inspections FOR SELECT
    USING (EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base));
CREATE POLICY inspections_insert ON jxjy.inspections FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR EXISTS (SELECT 1 FROM jxjy.bases b WHERE b.id = base AND b.level = 'district'
                             AND b.district = (SELECT jxjy.claim_district())));

-- projects -----------------------------------------------------------------
-- read: city, industry, unit all; district bureau: bases in its district;
-- base: its own; person: approved ones.  create/submit: the base;
-- approve/reject: city for city-level bases, district bureau for the
-- district-level bases of its district.
ALTER TABLE jxjy.projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.projects FORCE ROW LEVEL SECURITY;
CREATE POLICY projects_read ON jxjy.projects FOR SELECT
    USING ((SELECT jxjy.claim_role()) IN ('city_bureau', 'industry_authority', 'unit')
           OR base = (SELECT jxjy.claim_base())
           OR (status = 'approved' AND (SELECT jxjy.claim_role()) = 'person')
           OR base IN (SELECT b.id FROM jxjy.bases b
                        WHERE b.district = (SELECT jxjy.claim_district())));
CREATE POLICY projects_insert ON jxjy.projects FOR INSERT
    WITH CHECK (base = (SELECT jxjy.claim_base()));
CREATE POLICY projects_update ON jxjy.projects FOR UPDATE
    USING (base = (SELECT jxjy.claim_base())
           OR base IN (SELECT b.id FROM jxjy.bases b
                        WHERE (b.level = 'city' AND (SELECT jxjy.claim_role()) = 'city_bureau')
                           OR (b.level = 'district' AND b.district = (SELECT jxjy.claim_district()))))
    WITH CHECK (base = (SELECT jxjy.claim_base())
                OR base IN (SELECT b.id FROM jxjy.bases b
                             WHERE (b.level = 'city' AND (SELECT jxjy.claim_role()) = 'city_bureau')
                                OR (b.level = 'district' AND b.district = (SELECT jxjy.claim_district()))));

-- enrolments: the base (own projects) writes; read also by city, the
-- district bureau of the base, the person.  No reference to persons here
-- (persons' policy refers to enrolments).
ALTER TABLE jxjy.enrolments ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.enrolments FORCE ROW LEVEL SECURITY;
CREATE POLICY enrolments_read ON jxjy.enrolments FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR base = (SELECT jxjy.claim_base())
           OR base_district = (SELECT jxjy.claim_district())
           OR person = (SELECT jxjy.claim_person()));
CREATE POLICY enrolments_insert ON jxjy.enrolments FOR INSERT
    WITH CHECK (base = (SELECT jxjy.claim_base()));
CREATE POLICY enrolments_update ON jxjy.enrolments FOR UPDATE
    USING (base = (SELECT jxjy.claim_base()))
    WITH CHECK (base = (SELECT jxjy.claim_base()));

-- evaluations and commendations --------------------------------------------
ALTER TABLE jxjy.unit_evaluations ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.unit_evaluations FORCE ROW LEVEL SECURITY;
CREATE POLICY unit_evaluations_read ON jxjy.unit_evaluations FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR unit = (SELECT jxjy.claim_unit()));
CREATE POLICY unit_evaluations_insert ON jxjy.unit_evaluations FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR district = (SELECT jxjy.claim_district()));
CREATE POLICY unit_evaluations_update ON jxjy.unit_evaluations FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district()))
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR district = (SELECT jxjy.claim_district()));

ALTER TABLE jxjy.commendations ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.commendations FORCE ROW LEVEL SECURITY;
CREATE POLICY commendations_read ON jxjy.commendations FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR (target_type = 'unit' AND target_id = (SELECT jxjy.claim_unit()))
           OR (target_type = 'person' AND target_id = (SELECT jxjy.claim_person())));
CREATE POLICY commendations_insert ON jxjy.commendations FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR district = (SELECT jxjy.claim_district()));

-- samples: read and drawn within the jurisdiction they carry ---------------
ALTER TABLE jxjy.samples ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.samples FORCE ROW LEVEL SECURITY;
CREATE POLICY samples_read ON jxjy.samples FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR industry = (SELECT jxjy.claim_industry())
           OR unit = (SELECT jxjy.claim_unit())
           OR base = (SELECT jxjy.claim_base()));
CREATE POLICY samples_insert ON jxjy.samples FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR district = (SELECT jxjy.claim_district())
                OR industry = (SELECT jxjy.claim_industry())
                OR unit = (SELECT jxjy.claim_unit())
                OR base = (SELECT jxjy.claim_base()));

ALTER TABLE jxjy.sample_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.sample_items FORCE ROW LEVEL SECURITY;
CREATE POLICY sample_items_read ON jxjy.sample_items FOR SELECT
    USING (EXISTS (SELECT 1 FROM jxjy.samples s WHERE s.id = sample));
CREATE POLICY sample_items_insert ON jxjy.sample_items FOR INSERT
    WITH CHECK (EXISTS (SELECT 1 FROM jxjy.samples s WHERE s.id = sample));

-- accounts -----------------------------------------------------------------
-- read: city all; a district bureau the unit accounts of its district's
-- units and the base accounts of its district-level bases; everybody their
-- own row.  create/update: city any; district bureau that same set.
ALTER TABLE jxjy.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY accounts_read ON jxjy.accounts FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR id = (SELECT jxjy.claim_sub_id())
           OR (role = 'unit' AND unit IN (SELECT u.id FROM jxjy.units u
                                          WHERE u.district = (SELECT jxjy.claim_district())))
           OR (role = 'base' AND base IN (SELECT b.id FROM jxjy.bases b
                                          WHERE b.level = 'district'
                                            AND b.district = (SELECT jxjy.claim_district()))));
CREATE POLICY accounts_insert ON jxjy.accounts FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR (role = 'unit' AND unit IN (SELECT u.id FROM jxjy.units u
                                               WHERE u.district = (SELECT jxjy.claim_district())))
                OR (role = 'base' AND base IN (SELECT b.id FROM jxjy.bases b
                                               WHERE b.level = 'district'
                                                 AND b.district = (SELECT jxjy.claim_district()))));
CREATE POLICY accounts_update ON jxjy.accounts FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR (role = 'unit' AND unit IN (SELECT u.id FROM jxjy.units u
                                          WHERE u.district = (SELECT jxjy.claim_district())))
           OR (role = 'base' AND base IN (SELECT b.id FROM jxjy.bases b
                                          WHERE b.level = 'district'
                                            AND b.district = (SELECT jxjy.claim_district()))))
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau'
                OR (role = 'unit' AND unit IN (SELECT u.id FROM jxjy.units u
                                               WHERE u.district = (SELECT jxjy.claim_district())))
                OR (role = 'base' AND base IN (SELECT b.id FROM jxjy.bases b
                                               WHERE b.level = 'district'
                                                 AND b.district = (SELECT jxjy.claim_district()))));

-- audit log: city all, district bureau the entries about its district;
-- anybody with claims appends (the trigger fixes actor/role/time).
ALTER TABLE jxjy.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_read ON jxjy.audit_log FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district()));
CREATE POLICY audit_log_insert ON jxjy.audit_log FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) IS NOT NULL);

-- idempotency keys: the caller's own (scope = sub); expired ones also to
-- the housekeeping function (elevated, sub "system").
ALTER TABLE jxjy.idempotency_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.idempotency_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY idempotency_keys_own ON jxjy.idempotency_keys FOR ALL
    USING (scope = (SELECT jxjy.claim_sub()))
    WITH CHECK (scope = (SELECT jxjy.claim_sub()));
CREATE POLICY idempotency_keys_expired_read ON jxjy.idempotency_keys FOR SELECT
    USING ((SELECT jxjy.claim_sub()) = 'system' AND created_at < now() - interval '24 hours');
CREATE POLICY idempotency_keys_expired_delete ON jxjy.idempotency_keys FOR DELETE
    USING ((SELECT jxjy.claim_sub()) = 'system' AND created_at < now() - interval '24 hours');

-- revoked_tokens, auth_attempts, audit_chain_head: no persons' data, no
-- SELECT for jxjy_app; reached only through set_claims, auth_*,
-- prune_expired and the audit trigger.

-- ===========================================================================
-- Privileges of the gateway role
-- ===========================================================================
GRANT SELECT ON jxjy.districts, jxjy.industries, jxjy.forms,
                jxjy.rule_sets, jxjy.rule_set_minimums, jxjy.rule_set_conversions,
                jxjy.public_subjects, jxjy.late_windows, jxjy.plans,
                jxjy.guides, jxjy.guide_subjects,
                jxjy.units, jxjy.persons, jxjy.person_employments, jxjy.transfers,
                jxjy.records, jxjy.achievements, jxjy.cycle_assessments,
                jxjy.person_year_summary,
                jxjy.bases, jxjy.base_faculty, jxjy.base_managers, jxjy.base_systems,
                jxjy.inspections, jxjy.projects, jxjy.enrolments,
                jxjy.unit_evaluations, jxjy.commendations,
                jxjy.samples, jxjy.sample_items,
                jxjy.audit_log, jxjy.idempotency_keys
    TO jxjy_app;

GRANT INSERT ON jxjy.forms, jxjy.rule_sets, jxjy.rule_set_minimums, jxjy.rule_set_conversions,
                jxjy.public_subjects, jxjy.late_windows, jxjy.plans,
                jxjy.guides, jxjy.guide_subjects,
                jxjy.units, jxjy.persons, jxjy.transfers,
                jxjy.records, jxjy.achievements, jxjy.cycle_assessments,
                jxjy.bases, jxjy.base_faculty, jxjy.base_managers, jxjy.base_systems,
                jxjy.inspections, jxjy.projects, jxjy.enrolments,
                jxjy.unit_evaluations, jxjy.commendations,
                jxjy.samples, jxjy.sample_items,
                jxjy.accounts, jxjy.audit_log, jxjy.idempotency_keys,
                jxjy.revoked_tokens
    TO jxjy_app;

-- UPDATE: only the columns an action changes; ids, denormalised columns,
-- created_* and version (triggers) are not writable by the gateway.
GRANT UPDATE (effective_to) ON jxjy.rule_sets TO jxjy_app;
GRANT UPDATE (title, hours) ON jxjy.public_subjects TO jxjy_app;
GRANT UPDATE (until, reason) ON jxjy.late_windows TO jxjy_app;
GRANT UPDATE (title, content) ON jxjy.plans TO jxjy_app;
GRANT UPDATE (title, status, published_at, filed_at) ON jxjy.guides TO jxjy_app;
GRANT UPDATE (code, title, hours) ON jxjy.guide_subjects TO jxjy_app;
GRANT UPDATE (credit_code, checksum_override, override_reason, name, kind, district, industry,
              contact_name, contact_phone, contact_email, address)
    ON jxjy.units TO jxjy_app;
GRANT UPDATE (national_id, name, unit, industry, title_level, speciality, cycle_start_year, status)
    ON jxjy.persons TO jxjy_app;
GRANT UPDATE (status, reason, accepted_by, cancelled_by) ON jxjy.transfers TO jxjy_app;
GRANT UPDATE (status, reason, evidence, verified_by, verified_at, revoked_by, revoked_at)
    ON jxjy.records TO jxjy_app;
GRANT UPDATE (status, hours, credited_hours, speciality_related, reason, reviewed_by, reviewed_at,
              evidence, title, venue, project_key)
    ON jxjy.achievements TO jxjy_app;
GRANT UPDATE (name, status, status_reason, accredited_at, accredited_by,
              contact_name, contact_phone, address)
    ON jxjy.bases TO jxjy_app;
GRANT UPDATE (teaching_management, trainee_assessment, certificate_registration,
              fee_management, effect_tracking, updated_at)
    ON jxjy.base_systems TO jxjy_app;
GRANT UPDATE (title, category, subject_public, subject_guide, hours, class_type, capacity, fee,
              funding_government, funding_unit, funding_individual, status, reason,
              submitted_at, decided_by, decided_at)
    ON jxjy.projects TO jxjy_app;
GRANT UPDATE (attended_hours, exam_result, status, record, evaluation, completed_at)
    ON jxjy.enrolments TO jxjy_app;
GRANT UPDATE (grade, notes, compliance_rate) ON jxjy.unit_evaluations TO jxjy_app;
GRANT UPDATE (state, status_code, response_headers, response_body, updated_at)
    ON jxjy.idempotency_keys TO jxjy_app;

-- DELETE only where an action needs it: replacing a faculty roster (PUT),
-- editing a draft guide, dropping a failed request's idempotency key.
GRANT DELETE ON jxjy.base_faculty, jxjy.base_managers, jxjy.guide_subjects, jxjy.idempotency_keys
    TO jxjy_app;

-- accounts: every column but password_hash is readable; the hash is only
-- reachable through auth_lookup().
GRANT SELECT (id, login, kind, role, district, industry, unit, base, person, display_name,
              disabled, locked_until, created_at, created_by)
    ON jxjy.accounts TO jxjy_app;
GRANT UPDATE (password_hash, display_name, disabled, locked_until) ON jxjy.accounts TO jxjy_app;

-- functions: nothing for PUBLIC; the gateway gets what it calls (and what
-- its policies, defaults and invoker triggers call)
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA jxjy FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    jxjy.claims(), jxjy.claim(text), jxjy.claim_role(), jxjy.claim_sub(), jxjy.claim_uuid(text),
    jxjy.claim_district(), jxjy.claim_industry(), jxjy.claim_unit(), jxjy.claim_base(),
    jxjy.claim_person(), jxjy.claim_sub_id(), jxjy.today(),
    jxjy.set_claims(jsonb), jxjy.token_revoked(text),
    jxjy.auth_lookup(text, text), jxjy.auth_note(text, boolean), jxjy.prune_expired(),
    jxjy.audit(text, text, text, jsonb, jsonb, text),
    jxjy._transfer_endpoints(uuid, uuid),
    jxjy._may_touch_person_year(uuid, integer),
    jxjy._person_year_hours(uuid, integer),
    jxjy._person_year_store(uuid, integer, uuid, jxjy.title_level, numeric, numeric, numeric,
                            numeric, numeric, numeric, boolean),
    jxjy.person_year_hours(uuid, integer),
    jxjy.person_year_save(uuid, integer, uuid, jxjy.title_level, numeric, numeric, numeric,
                          numeric, numeric, numeric, boolean)
    TO jxjy_app;
