-- 0005_persons.sql — what the persons endpoints need beyond 0001.
--
-- A national id is unique across the city (API.md: a second registration
-- is 409, "use transfers").  The writer's row-level security hides the
-- persons of other districts and units, so neither POST /v1/persons nor the
-- bulk import could tell a duplicate from a new person before inserting:
-- the unique index would answer, but only with a bare 23505 for the whole
-- statement, where the import must name every failing row.  This function
-- answers "which of these ids are already registered" city-wide, and
-- nothing else (no person id, no unit, no district), only to the roles
-- that may register persons.

CREATE FUNCTION jxjy.persons_ids_taken(p_ids text[]) RETURNS SETOF text
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    r text := jxjy.claim_role();
    prev text;
BEGIN
    IF r IS NULL OR r NOT IN ('city_bureau', 'district_bureau', 'unit') THEN
        RAISE EXCEPTION 'only the roles that register persons may ask' USING ERRCODE = '42501';
    END IF;
    prev := jxjy._elevate();
    -- char(18) = char(18): the unique index on national_id answers
    RETURN QUERY
        SELECT p.national_id::text FROM jxjy.persons p
         WHERE p.national_id = ANY (p_ids::bpchar[]);
    PERFORM jxjy._restore(prev);
END
$$;

REVOKE EXECUTE ON FUNCTION jxjy.persons_ids_taken(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.persons_ids_taken(text[]) TO jxjy_app;

-- The employment history's first row, once per INSERT statement instead of
-- once per row (same rows, same dates as 0001's row trigger).  The bulk
-- import inserts up to 10 000 persons in one statement; per row, the
-- elevation (two set_config calls) and the insert under row-level security
-- cost ~0.15 ms each, 1.5 s of a 10 000-row import.
DROP TRIGGER persons_employment_start ON jxjy.persons;
CREATE OR REPLACE FUNCTION jxjy._persons_employment_start() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    INSERT INTO jxjy.person_employments (person, unit, from_date)
    SELECT n.id, n.unit, jxjy.today() FROM new_persons n;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
CREATE TRIGGER persons_employment_start AFTER INSERT ON jxjy.persons
    REFERENCING NEW TABLE AS new_persons
    FOR EACH STATEMENT EXECUTE FUNCTION jxjy._persons_employment_start();
REVOKE EXECUTE ON FUNCTION jxjy._persons_employment_start() FROM PUBLIC;
