-- 0003_records.sql — records and achievements (issue 4).
--
-- 1. jxjy.record_scope(id): the category of a record whose PERSON the
--    caller can see, or NULL.  The permission matrix gives the industry
--    authority "verify / reject / revoke: professional records only": a
--    public record of a person in its industry is invisible to it (RLS), yet
--    the answer must be 403 (a right it never has), not 404.  The record is
--    read with city claims, the person's visibility is then decided with the
--    caller's own claims, so nothing is revealed about records of persons
--    the caller cannot see.
-- 2. records_no_duplicate no longer covers achievement records: two
--    approved achievements of one kind and year with equal credited hours
--    (two national papers at 18 h) get the same dates (the achievement's
--    year) and would otherwise collide; an achievement's record is unique
--    per achievement (records_one_per_achievement) instead.

CREATE FUNCTION jxjy.record_scope(p_record uuid) RETURNS text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
    v_person uuid;
    v_category text;
BEGIN
    SELECT r.person, r.category::text INTO v_person, v_category
      FROM jxjy.records r WHERE r.id = p_record;
    PERFORM jxjy._restore(prev);
    IF v_person IS NULL OR NOT EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = v_person) THEN
        RETURN NULL;
    END IF;
    RETURN v_category;
END
$$;
REVOKE EXECUTE ON FUNCTION jxjy.record_scope(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.record_scope(uuid) TO jxjy_app;

DROP INDEX jxjy.records_no_duplicate;
CREATE UNIQUE INDEX records_no_duplicate ON jxjy.records
    (person, start_date, end_date, category, form, hours)
    WHERE status <> 'rejected' AND achievement IS NULL;
