-- 0008: claims read without parsing JSON in every policy.
--
-- Every row-level-security policy asks for the caller's role and
-- jurisdiction (jxjy.claim_role(), claim_district(), …).  Until now each of
-- those calls parsed the claims JSON again; measured with pgbench on the
-- gateway's own statements that cost ~60 µs per statement, and the
-- revocation check (a SQL-language SECURITY DEFINER function with a SET
-- clause, re-planned on every call) another ~60 µs per request.
--
-- Now jxjy.set_claims() also stores three plain, transaction-local settings
-- derived from the claims — jxjy.role, jxjy.sub and jxjy.jur (the role's
-- own jurisdiction value) — and the helpers read those.  jxjy.claims stays
-- the full object (jxjy.claim(key) for request_id and the like).
--
-- From this migration on, claims are set only through jxjy.set_claims() or
-- jxjy._elevate()/_restore(): setting jxjy.claims by hand no longer changes
-- what the policies see.

-- The revocation check in PL/pgSQL: its query plan is cached per session.
-- No SET clause (that costs a configuration save and restore per call):
-- every name is schema-qualified, the operator too.
CREATE OR REPLACE FUNCTION jxjy.token_revoked(p_jti text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    AS $$
BEGIN
    RETURN p_jti IS NOT NULL
       AND EXISTS (SELECT 1 FROM jxjy.revoked_tokens t WHERE t.jti OPERATOR(pg_catalog.=) p_jti);
END
$$;

-- Sets the claims and their derived settings, all transaction-local.  In
-- PL/pgSQL so that its one statement is planned once per session (an
-- SQL-language function called from PL/pgSQL is planned on every call).
CREATE FUNCTION jxjy._put_claims(p_claims jsonb) RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
    r text := p_claims ->> 'role';
BEGIN
    PERFORM pg_catalog.set_config('jxjy.claims', coalesce(p_claims::text, ''), true),
            pg_catalog.set_config('jxjy.role', coalesce(r, ''), true),
            pg_catalog.set_config('jxjy.sub', coalesce(p_claims ->> 'sub', ''), true),
            pg_catalog.set_config('jxjy.jur', coalesce(CASE r
                WHEN 'district_bureau' THEN p_claims ->> 'district'
                WHEN 'industry_authority' THEN p_claims ->> 'industry'
                WHEN 'unit' THEN p_claims ->> 'unit'
                WHEN 'base' THEN p_claims ->> 'base'
                WHEN 'person' THEN p_claims ->> 'person' END, ''), true);
END
$$;

-- Same contract as 0001's: 22023 for claims that are no object with a known
-- role, JX401 for a revoked jti.  Deliberately no SET clause (it would make
-- the settings local to this call).
CREATE OR REPLACE FUNCTION jxjy.set_claims(p_claims jsonb) RETURNS void
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
    PERFORM jxjy._put_claims(p_claims);
END
$$;

-- Elevation for the definer functions' cascades: city claims, then back.
CREATE OR REPLACE FUNCTION jxjy._elevate() RETURNS text
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
    prev text := coalesce(pg_catalog.current_setting('jxjy.claims', true), '');
BEGIN
    PERFORM jxjy._put_claims('{"role": "city_bureau", "sub": "system"}'::jsonb);
    RETURN prev;
END
$$;

CREATE OR REPLACE FUNCTION jxjy._restore(prev text) RETURNS void
    LANGUAGE sql VOLATILE
    AS $$ SELECT jxjy._put_claims(nullif(prev, '')::jsonb) $$;

-- The readers: plain settings, no JSON.
CREATE OR REPLACE FUNCTION jxjy.claim_role() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(pg_catalog.current_setting('jxjy.role', true), '') $$;

CREATE OR REPLACE FUNCTION jxjy.claim_sub() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT nullif(pg_catalog.current_setting('jxjy.sub', true), '') $$;

CREATE FUNCTION jxjy._uuid_or_null(v text) RETURNS uuid
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN v ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                THEN v::uuid END
    $$;

CREATE OR REPLACE FUNCTION jxjy.claim_district() RETURNS bpchar
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN pg_catalog.current_setting('jxjy.role', true) = 'district_bureau'
                THEN nullif(pg_catalog.current_setting('jxjy.jur', true), '')::bpchar END
    $$;

CREATE OR REPLACE FUNCTION jxjy.claim_industry() RETURNS text
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN pg_catalog.current_setting('jxjy.role', true) = 'industry_authority'
                THEN nullif(pg_catalog.current_setting('jxjy.jur', true), '') END
    $$;

CREATE OR REPLACE FUNCTION jxjy.claim_unit() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN pg_catalog.current_setting('jxjy.role', true) = 'unit'
                THEN jxjy._uuid_or_null(pg_catalog.current_setting('jxjy.jur', true)) END
    $$;

CREATE OR REPLACE FUNCTION jxjy.claim_base() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN pg_catalog.current_setting('jxjy.role', true) = 'base'
                THEN jxjy._uuid_or_null(pg_catalog.current_setting('jxjy.jur', true)) END
    $$;

CREATE OR REPLACE FUNCTION jxjy.claim_person() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$
    SELECT CASE WHEN pg_catalog.current_setting('jxjy.role', true) = 'person'
                THEN jxjy._uuid_or_null(pg_catalog.current_setting('jxjy.jur', true)) END
    $$;

CREATE OR REPLACE FUNCTION jxjy.claim_sub_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT jxjy._uuid_or_null(pg_catalog.current_setting('jxjy.sub', true)) $$;

-- as in 0001: nothing for PUBLIC, the gateway gets what it and its policies call
REVOKE EXECUTE ON FUNCTION jxjy._put_claims(jsonb), jxjy._uuid_or_null(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy._put_claims(jsonb), jxjy._uuid_or_null(text) TO jxjy_app;
