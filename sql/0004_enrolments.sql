-- 0004_enrolments.sql — what enrolling a trainee needs beyond 0001.
--
-- A base enrols a professional by person id (R-20), but row-level security
-- shows a base only the persons already enrolled in its projects.  Without
-- this function an unknown id could only surface as the enrolments→persons
-- foreign key failing (a 422 without a field); with it the gateway answers
-- 422 naming the field `person`.  It reveals no more than that foreign key
-- would: whether the id names a person.

CREATE FUNCTION jxjy.person_exists(p_person uuid) RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
    found boolean;
BEGIN
    SELECT EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = p_person) INTO found;
    PERFORM jxjy._restore(prev);
    RETURN found;
END
$$;

REVOKE EXECUTE ON FUNCTION jxjy.person_exists(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.person_exists(uuid) TO jxjy_app;
