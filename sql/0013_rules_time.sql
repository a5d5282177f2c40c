-- Rule sets through time (DOMAIN.md R-32; issue 9).
--
-- A rule set may now be stored with an effective_from in the past (the city
-- bureau loads the rules that were in force then, e.g. the national 2015
-- regulation's 90 h from 2016-01-01).  Within one scope (the city default,
-- or one industry) sets still never overlap; an insert places the new set
-- [F, T) among the existing ones:
--   * the set of the scope in force on F that started earlier ends on F
--     (before: only an open-ended one; now also one that a later set had
--     closed, so a set loaded between two others splits the earlier one);
--   * a new set given without effective_to ends where the next set of the
--     scope starts, if there is one (it fills the gap up to it);
--   * any other overlap (a set starting on F, an explicit T past the next
--     set's start) is refused, 23P01, as before.
-- Loading 2016's city rules while the 2013 city set is open: the 2013 set
-- ends on 2016-01-01 and the new one is open.  Loading a city set from 2018
-- while 2013 [2013-03-12, 2020-01-01) and 2020 [2020-01-01, open) exist:
-- 2013 ends on 2018-01-01 and the new set gets [2018-01-01, 2020-01-01).
-- The gateway names the overlapping set in a 409 before it inserts
-- (db/stmts/rule_sets.def RULE_SETS_SCOPE_CHECK, the same placement).
--
-- The person-years such a set governs are re-decided by core in the
-- gateway; jxjy.rule_set_redecide_save() stores the decisions (new rule set,
-- required hours, compliant) in one statement from arrays, leaving the
-- judging and holding columns of each year as they are.  Above a threshold
-- the re-decision is a job (jxjy.jobs), processed in batches by the
-- gateways themselves: a batch locks its job row (FOR UPDATE SKIP LOCKED)
-- and holds a lease (lease_until) so that two workers never work on one job
-- at once and a job whose worker died is taken over once its lease expires.

CREATE OR REPLACE FUNCTION jxjy._rule_sets_no_overlap() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.effective_to IS NULL THEN
            SELECT min(r.effective_from) INTO NEW.effective_to
              FROM jxjy.rule_sets r
             WHERE r.industry IS NOT DISTINCT FROM NEW.industry
               AND r.effective_from > NEW.effective_from;
        END IF;
        UPDATE jxjy.rule_sets r
           SET effective_to = NEW.effective_from
         WHERE r.industry IS NOT DISTINCT FROM NEW.industry
           AND r.effective_from < NEW.effective_from
           AND (r.effective_to IS NULL OR r.effective_to > NEW.effective_from);
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

-- ---- re-decisions ---------------------------------------------------------

-- core's decisions of person-years under a new rule set, one element per
-- person-year (city claims only; the summary is written by definer
-- functions).  Returns the rows updated.
CREATE FUNCTION jxjy.rule_set_redecide_save(p_persons uuid[], p_years integer[], p_rule_sets uuid[],
                                            p_required_public numeric[],
                                            p_required_professional numeric[],
                                            p_compliant boolean[]) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text;
    n bigint;
BEGIN
    IF jxjy.claim_role() IS DISTINCT FROM 'city_bureau' THEN
        RAISE EXCEPTION 'only the city bureau re-decides person-years' USING ERRCODE = '42501';
    END IF;
    prev := jxjy._elevate();
    UPDATE jxjy.person_year_summary s
       SET rule_set = d.rule_set, required_public = d.rpub, required_professional = d.rpro,
           compliant = d.compliant, decided_at = now()
      FROM unnest(p_persons, p_years, p_rule_sets, p_required_public, p_required_professional,
                  p_compliant) AS d(person, year, rule_set, rpub, rpro, compliant)
     WHERE s.person = d.person AND s.year = d.year;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM jxjy._restore(prev);
    RETURN n;
END
$$;
REVOKE EXECUTE ON FUNCTION jxjy.rule_set_redecide_save(uuid[], integer[], uuid[], numeric[],
                                                      numeric[], boolean[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.rule_set_redecide_save(uuid[], integer[], uuid[], numeric[],
                                                     numeric[], boolean[]) TO jxjy_app;

-- ---- jobs -----------------------------------------------------------------

-- A tracked job (GET /v1/jobs/{id}).  kind 'rule_set_redecide': the
-- person-years of years first_year..last_year (of industry, or every
-- industry for a city set) re-decided after rule_set was stored; total is
-- how many such person-years there were when the job was created (before
-- core's selection), done how many have been examined, person_years how
-- many the new set governs, changed how many decisions flipped.  The cursor
-- (cursor_person, cursor_year) is the last person-year done, in
-- (person, year) order.
CREATE TABLE jxjy.jobs (
    id            uuid PRIMARY KEY,
    kind          text NOT NULL CHECK (kind IN ('rule_set_redecide')),
    rule_set      uuid NOT NULL REFERENCES jxjy.rule_sets (id),
    industry      text REFERENCES jxjy.industries (code),
    first_year    integer NOT NULL,
    last_year     integer NOT NULL,
    status        text NOT NULL DEFAULT 'queued'
                  CHECK (status IN ('queued', 'running', 'done', 'failed')),
    total         bigint NOT NULL CHECK (total >= 0),
    done          bigint NOT NULL DEFAULT 0 CHECK (done >= 0),
    person_years  bigint NOT NULL DEFAULT 0 CHECK (person_years >= 0),
    changed       bigint NOT NULL DEFAULT 0 CHECK (changed >= 0),
    cursor_person uuid,
    cursor_year   integer,
    lease_owner   text,
    lease_until   timestamptz,
    error         text,
    created_by    text DEFAULT jxjy.claim_sub(),
    created_at    timestamptz NOT NULL DEFAULT now(),
    started_at    timestamptz,
    finished_at   timestamptz
);
CREATE INDEX jobs_unfinished ON jxjy.jobs (created_at) WHERE status IN ('queued', 'running');

ALTER TABLE jxjy.jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.jobs FORCE ROW LEVEL SECURITY;
-- read: the city bureau, and whoever created the job; written by the city
-- bureau (the creating request, and the gateway's runner with city claims)
CREATE POLICY jobs_read ON jxjy.jobs FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau' OR created_by = (SELECT jxjy.claim_sub()));
CREATE POLICY jobs_insert ON jxjy.jobs FOR INSERT
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');
CREATE POLICY jobs_update ON jxjy.jobs FOR UPDATE
    USING ((SELECT jxjy.claim_role()) = 'city_bureau')
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');
GRANT SELECT, INSERT ON jxjy.jobs TO jxjy_app;
GRANT UPDATE (status, done, person_years, changed, cursor_person, cursor_year, lease_owner,
              lease_until, error, started_at, finished_at) ON jxjy.jobs TO jxjy_app;
