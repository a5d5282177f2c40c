-- The rule sets as one stored document (issue 10, the hot path; issue 9 asked
-- for a cache keyed by a change stamp).
--
-- Every decision reads every rule set (core selects among them, R-6): the
-- gateway's refresh on each write, eligibility, compliance of a year without
-- a stored decision, recompute, jobs.  Built on each read (json_agg with a
-- sub-select per set for minimums and conversions) that was ~300 µs of
-- PostgreSQL per request with ONE rule set — more than ten pgbench -S
-- transactions.  Now the document is built when a rule set changes
-- (statement triggers on the three tables, in the changing transaction, so
-- a transaction sees its own new set) and read as one row.  `version`
-- counts the changes.
--
-- The projection of one set lives in jxjy.rule_set_json(), used by the
-- document and by the statements that answer single sets (db/statements.def
-- JXJY_RULE_SET_JSON): one definition.

CREATE FUNCTION jxjy.rule_set_json(r jxjy.rule_sets) RETURNS json
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
    SELECT json_build_object('id', r.id, 'name', r.name, 'industry', r.industry,
        'effective_from', r.effective_from, 'effective_to', r.effective_to,
        'cycle_years', r.cycle_years, 'auto_verify_base_completions', r.auto_verify_base_completions,
        'requirements', (SELECT json_object_agg(m.title_level, json_build_object('public',
            m.public_hours, 'professional', m.professional_hours))
            FROM jxjy.rule_set_minimums m WHERE m.rule_set = r.id),
        'conversion_kinds', coalesce((SELECT json_agg(json_build_object('code', c.kind,
            'min', c.min_hours, 'max', c.max_hours) ORDER BY c.kind)
            FROM jxjy.rule_set_conversions c WHERE c.rule_set = r.id), '[]'),
        'base_thresholds', json_build_object(
            'city', json_build_object('senior_faculty_share', r.city_senior_faculty_pct,
                'certified_manager_share', r.city_certified_manager_pct),
            'district', json_build_object('senior_faculty_share', r.district_senior_faculty_pct,
                'certified_manager_share', r.district_certified_manager_pct)),
        'created_at', to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))
    $$;

CREATE TABLE jxjy.rule_sets_doc (
    one     boolean PRIMARY KEY DEFAULT true CHECK (one),
    doc     json NOT NULL,
    version bigint NOT NULL DEFAULT 1
);
ALTER TABLE jxjy.rule_sets_doc ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.rule_sets_doc FORCE ROW LEVEL SECURITY;
-- readable as the rule sets are (any caller with claims); written only by
-- the trigger below
CREATE POLICY rule_sets_doc_read ON jxjy.rule_sets_doc FOR SELECT
    USING ((SELECT jxjy.claim_role()) IS NOT NULL);
CREATE POLICY rule_sets_doc_write ON jxjy.rule_sets_doc FOR ALL
    USING ((SELECT jxjy.claim_sub()) = 'system')
    WITH CHECK ((SELECT jxjy.claim_sub()) = 'system');
GRANT SELECT ON jxjy.rule_sets_doc TO jxjy_app;

CREATE FUNCTION jxjy._rule_sets_doc_refresh() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    INSERT INTO jxjy.rule_sets_doc AS d (one, doc)
    SELECT true, coalesce(json_agg(jxjy.rule_set_json(r) ORDER BY r.effective_from, r.id), '[]')
      FROM jxjy.rule_sets r
    ON CONFLICT (one) DO UPDATE SET doc = EXCLUDED.doc, version = d.version + 1;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
CREATE TRIGGER rule_sets_doc AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON jxjy.rule_sets
    FOR EACH STATEMENT EXECUTE FUNCTION jxjy._rule_sets_doc_refresh();
CREATE TRIGGER rule_sets_doc AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON jxjy.rule_set_minimums
    FOR EACH STATEMENT EXECUTE FUNCTION jxjy._rule_sets_doc_refresh();
CREATE TRIGGER rule_sets_doc AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON jxjy.rule_set_conversions
    FOR EACH STATEMENT EXECUTE FUNCTION jxjy._rule_sets_doc_refresh();

-- the document of the sets there are now (the trigger's statement, once)
INSERT INTO jxjy.rule_sets_doc (one, doc)
SELECT true, coalesce(json_agg(jxjy.rule_set_json(r) ORDER BY r.effective_from, r.id), '[]')
  FROM jxjy.rule_sets r;

REVOKE EXECUTE ON FUNCTION jxjy._rule_sets_doc_refresh() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.rule_set_json(jxjy.rule_sets) TO jxjy_app;

-- Has the person any change after registration (sql/0012)?  The reads of
-- a person-year consult the history only then (a person with the
-- registration alone holds the persons row's situation on every day).  A
-- function of its own, not an inline EXISTS: its plan — with the log's
-- row-level security inside — is made once per session instead of widening
-- the plan of every compliance read (the SET clause keeps it from being
-- inlined).
CREATE FUNCTION jxjy.person_changed(p_person uuid) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
    SELECT EXISTS (SELECT 1 FROM jxjy.person_changes c
                    WHERE c.person = p_person AND c.kind <> 'register')
    $$;
REVOKE EXECUTE ON FUNCTION jxjy.person_changed(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.person_changed(uuid) TO jxjy_app;
