-- Time-true decisions (DOMAIN.md R-28 … R-31; issue 9).
--
-- History (R-28).  jxjy.person_changes is the log of a person's situation:
-- each row sets, from its effective_date on, one or more of title_level,
-- industry, unit and status (NULL: unchanged).  The value of an attribute at
-- a date D is that of the latest row setting it with effective_date <= D
-- (the later-recorded row on the same date); before the first row, the first
-- row's.  The first row (kind 'register') sets every attribute, on `since`.
-- Rows are only ever added (a correction is a new row), each audited by the
-- handler that records it.  persons' title_level, industry, unit, district and
-- status are a cache of the situation today, rewritten by the log's trigger;
-- the gateway cannot write them any more.
--
-- Two dates judge a person-year (core_judging_date / core_holding_date are
-- the same two rules in C, checked against these by the db suite):
--   judging (R-29)  greatest(1 January Y, the first day): level and industry
--                   that decide the year (jxjy._person_judging);
--   holding (R-30)  least(31 December Y, today): the unit, district, industry
--                   and level the year belongs to in reports, and whether the
--                   person counts in that year's headcount (jxjy._person_holding).
--
-- records and person_year_summary keep their district/unit/industry columns
-- as they were: the person's current jurisdiction, which is what row-level
-- security shows (a new unit sees its transferee's past).  New year_*
-- columns carry the holding of the row's year and feed the aggregates:
-- report_hours from records.year_*, report_compliance from the summary's
-- year_* (its own row only, no join to persons), report_headcount as deltas
-- by first year (headcount of Y = the sum of the deltas of years <= Y), kept
-- per person by a series rebuilt on every change of their history.

-- ---- the log --------------------------------------------------------------

CREATE TABLE jxjy.person_changes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person         uuid NOT NULL REFERENCES jxjy.persons (id),
    effective_date date NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('register', 'change', 'transfer')),
    title_level    jxjy.title_level,
    industry       text REFERENCES jxjy.industries (code),
    unit           uuid REFERENCES jxjy.units (id),
    status         jxjy.person_status,
    transfer       uuid REFERENCES jxjy.transfers (id),
    recorded_by    text DEFAULT jxjy.claim_sub(),
    recorded_at    timestamptz NOT NULL DEFAULT now(),
    CHECK (num_nonnulls(title_level, industry, unit, status) > 0),
    CHECK (kind <> 'register' OR num_nonnulls(title_level, industry, unit, status) = 4)
);
CREATE INDEX person_changes_person ON jxjy.person_changes (person, effective_date, id);

ALTER TABLE jxjy.person_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.person_changes FORCE ROW LEVEL SECURITY;
-- readable with the person (GET /v1/persons/{id}/history); written only by
-- jxjy.person_change() and the triggers below (SECURITY DEFINER)
CREATE POLICY person_changes_read ON jxjy.person_changes FOR SELECT
    USING (EXISTS (SELECT 1 FROM jxjy.persons p WHERE p.id = person));
CREATE POLICY person_changes_write ON jxjy.person_changes FOR ALL
    USING ((SELECT jxjy.claim_role()) = 'city_bureau')
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');
GRANT SELECT ON jxjy.person_changes TO jxjy_app;

-- the first day of the first period (R-28): given at registration, default
-- 1 January of cycle_start_year
ALTER TABLE jxjy.persons ADD COLUMN since date;
ALTER TABLE jxjy.persons DISABLE TRIGGER USER;   -- no new version, no report moves
UPDATE jxjy.persons SET since = least(make_date(cycle_start_year, 1, 1), jxjy.today());
ALTER TABLE jxjy.persons ENABLE TRIGGER USER;
ALTER TABLE jxjy.persons ALTER COLUMN since SET NOT NULL;

-- the situation columns follow the log: nobody writes them directly
REVOKE UPDATE (unit, industry, title_level, status) ON jxjy.persons FROM jxjy_app;

-- backfill: one period from the first day for every existing person
INSERT INTO jxjy.person_changes (person, effective_date, kind, title_level, industry, unit, status,
                                 recorded_by)
SELECT p.id, p.since, 'register', p.title_level, p.industry, p.unit, p.status, 'migration 0012'
  FROM jxjy.persons p
 ORDER BY p.created_at, p.id;

-- ---- reading the log ------------------------------------------------------

-- The two dates on their own (the db suite compares them with core's
-- core_judging_date and core_holding_date).
CREATE FUNCTION jxjy.judging_date(p_first_day date, p_year integer) RETURNS date
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT greatest(make_date(p_year, 1, 1), p_first_day) $$;
CREATE FUNCTION jxjy.holding_date(p_year integer, p_today date) RETURNS date
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT least(make_date(p_year, 12, 31), p_today) $$;


-- The situation on p_date (R-28).  Without any row (data loaded with the
-- triggers off) the persons row is the whole history from `since`.
CREATE FUNCTION jxjy._person_at(p_person uuid, p_date date,
    OUT title_level jxjy.title_level, OUT industry text, OUT unit uuid,
    OUT status jxjy.person_status, OUT first_day date)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT ch.effective_date, ch.title_level, ch.industry, ch.unit, ch.status
               FROM jxjy.person_changes ch
              WHERE ch.person = p_person
              ORDER BY ch.effective_date, ch.id LOOP
        IF first_day IS NULL THEN
            first_day := c.effective_date;
        ELSIF c.effective_date > p_date THEN
            EXIT;
        END IF;
        title_level := coalesce(c.title_level, title_level);
        industry := coalesce(c.industry, industry);
        unit := coalesce(c.unit, unit);
        status := coalesce(c.status, status);
    END LOOP;
    IF first_day IS NULL THEN
        SELECT p.title_level, p.industry, p.unit, p.status, p.since
          INTO title_level, industry, unit, status, first_day
          FROM jxjy.persons p WHERE p.id = p_person;
    END IF;
END
$$;

-- R-29: the date whose level and industry judge year p_year, and those.
CREATE FUNCTION jxjy._person_judging(p_person uuid, p_year integer,
    OUT as_of date, OUT title_level jxjy.title_level, OUT industry text)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    s record;
BEGIN
    SELECT * INTO s FROM jxjy._person_at(p_person, make_date(p_year, 1, 1));
    as_of := jxjy.judging_date(s.first_day, p_year);
    IF as_of > make_date(p_year, 1, 1) THEN
        SELECT * INTO s FROM jxjy._person_at(p_person, as_of);
    END IF;
    title_level := s.title_level;
    industry := s.industry;
END
$$;

-- R-30: whom year p_year belongs to: the situation on 31 December (today for
-- the running year), and whether the person was in service then.
CREATE FUNCTION jxjy._person_holding(p_person uuid, p_year integer,
    OUT unit uuid, OUT district char(6), OUT industry text, OUT title_level jxjy.title_level,
    OUT in_service boolean)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    d date := jxjy.holding_date(p_year, jxjy.today());
    s record;
BEGIN
    SELECT * INTO s FROM jxjy._person_at(p_person, d);
    unit := s.unit;
    industry := s.industry;
    title_level := s.title_level;
    in_service := s.status = 'in_service' AND d >= s.first_day;
    SELECT u.district INTO district FROM jxjy.units u WHERE u.id = s.unit;
END
$$;



-- The day the person left service, when they are out of service on p_date
-- (R-31: nothing may be registered for a date after leaving); NULL otherwise.
CREATE FUNCTION jxjy._person_left_on(p_person uuid, p_date date) RETURNS date
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    c record;
    st jxjy.person_status;
    since_left date;
BEGIN
    FOR c IN SELECT ch.effective_date, ch.status FROM jxjy.person_changes ch
              WHERE ch.person = p_person AND ch.status IS NOT NULL
                AND ch.effective_date <= p_date
              ORDER BY ch.effective_date, ch.id LOOP
        IF c.status = 'left' AND st IS DISTINCT FROM 'left' THEN
            since_left := c.effective_date;
        END IF;
        st := c.status;
    END LOOP;
    RETURN CASE WHEN st = 'left' THEN since_left END;
END
$$;

-- GET /v1/persons/{id}/history: the periods in date order ("to" exclusive,
-- NULL for the current one); under the caller's claims (RLS on the log).
CREATE FUNCTION jxjy.person_history(p_person uuid)
    RETURNS TABLE (from_date date, to_date date, title_level jxjy.title_level, industry text,
                   unit uuid, district char(6), status jxjy.person_status)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    d record;
    s record;
    prev_from date;
    prev record;
BEGIN
    FOR d IN SELECT DISTINCT ch.effective_date AS day FROM jxjy.person_changes ch
              WHERE ch.person = p_person ORDER BY 1 LOOP
        SELECT * INTO s FROM jxjy._person_at(p_person, d.day);
        IF prev_from IS NOT NULL THEN
            from_date := prev_from; to_date := d.day;
            title_level := prev.title_level; industry := prev.industry; unit := prev.unit;
            status := prev.status;
            SELECT u.district INTO district FROM jxjy.units u WHERE u.id = prev.unit;
            RETURN NEXT;
        END IF;
        prev_from := d.day;
        prev := s;
    END LOOP;
    IF prev_from IS NOT NULL THEN
        from_date := prev_from; to_date := NULL;
        title_level := prev.title_level; industry := prev.industry; unit := prev.unit;
        status := prev.status;
        SELECT u.district INTO district FROM jxjy.units u WHERE u.id = prev.unit;
        RETURN NEXT;
    END IF;
END
$$;

-- ---- the year columns -----------------------------------------------------

ALTER TABLE jxjy.records
    ADD COLUMN year_district char(6), ADD COLUMN year_unit uuid, ADD COLUMN year_industry text;
ALTER TABLE jxjy.person_year_summary
    ADD COLUMN as_of date,                  -- R-29: the date level and industry were read at
    ADD COLUMN judged_industry text,        -- the industry that chose the rule set
    ADD COLUMN year_district char(6), ADD COLUMN year_unit uuid, ADD COLUMN year_industry text,
    ADD COLUMN year_title_level jxjy.title_level,
    ADD COLUMN year_in_service boolean;

UPDATE jxjy.records r
   SET (year_district, year_unit, year_industry) =
       (SELECT h.district, h.unit, h.industry FROM jxjy._person_holding(r.person, r.year) h);
UPDATE jxjy.person_year_summary s
   SET (as_of, judged_industry) =
       (SELECT j.as_of, j.industry FROM jxjy._person_judging(s.person, s.year) j),
       (year_district, year_unit, year_industry, year_title_level, year_in_service) =
       (SELECT h.district, h.unit, h.industry, h.title_level, h.in_service
          FROM jxjy._person_holding(s.person, s.year) h);
ALTER TABLE jxjy.records
    ALTER COLUMN year_district SET NOT NULL, ALTER COLUMN year_unit SET NOT NULL,
    ALTER COLUMN year_industry SET NOT NULL;
ALTER TABLE jxjy.person_year_summary
    ALTER COLUMN as_of SET NOT NULL, ALTER COLUMN judged_industry SET NOT NULL,
    ALTER COLUMN year_district SET NOT NULL, ALTER COLUMN year_unit SET NOT NULL,
    ALTER COLUMN year_industry SET NOT NULL, ALTER COLUMN year_title_level SET NOT NULL,
    ALTER COLUMN year_in_service SET NOT NULL;
CREATE INDEX person_year_summary_year ON jxjy.person_year_summary (year, year_district);

-- records samples of a year draw from the year's holding (R-30): the
-- sampling indexes of 0006 on the year columns instead of the current ones (recreated)
DROP INDEX jxjy.records_sample_district;
DROP INDEX jxjy.records_sample_industry;
CREATE INDEX records_sample_district ON jxjy.records (year, year_district, id)
    WHERE status = 'verified';
CREATE INDEX records_sample_industry ON jxjy.records (year, year_industry, id) INCLUDE (category)
    WHERE status = 'verified';

-- ---- registration ---------------------------------------------------------

-- since: default 1 January of cycle_start_year, never after today
CREATE OR REPLACE FUNCTION jxjy._persons_fill() RETURNS trigger
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
    IF TG_OP = 'INSERT' THEN
        NEW.since := coalesce(NEW.since, least(make_date(NEW.cycle_start_year, 1, 1), jxjy.today()));
        IF NEW.since > jxjy.today() THEN
            RAISE EXCEPTION 'since is in the future' USING ERRCODE = 'JX422',
                COLUMN = 'since', CONSTRAINT = 'in_future';
        END IF;
    ELSIF NEW.since IS DISTINCT FROM OLD.since THEN
        RAISE EXCEPTION 'the first day is history: it cannot change' USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;

-- the first period of every new person (one statement for an import of
-- 10 000), and their headcount from its year on
CREATE OR REPLACE FUNCTION jxjy._persons_employment_start() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    INSERT INTO jxjy.person_employments (person, unit, from_date)
    SELECT n.id, n.unit, n.since FROM new_persons n;
    INSERT INTO jxjy.person_changes (person, effective_date, kind, title_level, industry, unit,
                                     status)
    SELECT n.id, n.since, 'register', n.title_level, n.industry, n.unit, n.status
      FROM new_persons n;
    INSERT INTO jxjy.report_headcount AS h
           (year_from, district, industry, unit, title_level, headcount)
    SELECT extract(year FROM n.since)::int, n.district, n.industry, n.unit, n.title_level, count(*)
      FROM new_persons n WHERE n.status = 'in_service'
     GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (year_from, district, industry, unit, title_level) DO UPDATE
       SET headcount = h.headcount + EXCLUDED.headcount;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;

DROP TRIGGER persons_report_insert ON jxjy.persons;
DROP TRIGGER persons_report_update ON jxjy.persons;
DROP FUNCTION jxjy._persons_report();
DROP FUNCTION jxjy._report_person_move(uuid, integer, character, text, uuid, jxjy.title_level);
DROP FUNCTION jxjy._report_trainee_move(uuid, integer, character, text, uuid, jxjy.title_level);

-- ---- headcount by year (R-30) ---------------------------------------------

ALTER TABLE jxjy.report_headcount DROP CONSTRAINT report_headcount_pkey;
ALTER TABLE jxjy.report_headcount ADD COLUMN year_from integer;
TRUNCATE jxjy.report_headcount;
ALTER TABLE jxjy.report_headcount ALTER COLUMN year_from SET NOT NULL;
ALTER TABLE jxjy.report_headcount
    ADD PRIMARY KEY (year_from, district, industry, unit, title_level);
COMMENT ON COLUMN jxjy.report_headcount.headcount IS
    'a delta: the headcount of year Y at a key is the sum over year_from <= Y';

-- One person's contribution to report_headcount: the key of each year from
-- the first day's to the running year (R-30), as deltas where it changes.
CREATE FUNCTION jxjy._headcount_series(p_person uuid)
    RETURNS TABLE (year_from integer, district char(6), industry text, unit uuid,
                   title_level jxjy.title_level, delta integer)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    first_year integer;
    y integer;
    h record;
    have boolean := false;     -- a previous year seen: its key below
    p_in boolean;
    p_district char(6);
    p_industry text;
    p_unit uuid;
    p_level jxjy.title_level;
BEGIN
    SELECT extract(year FROM s.first_day)::int INTO first_year
      FROM jxjy._person_at(p_person, jxjy.today()) s;
    FOR y IN first_year .. extract(year FROM jxjy.today())::int LOOP
        SELECT * INTO h FROM jxjy._person_holding(p_person, y);
        IF have AND (h.in_service, h.district, h.industry, h.unit, h.title_level)
                    IS NOT DISTINCT FROM (p_in, p_district, p_industry, p_unit, p_level) THEN
            CONTINUE;
        END IF;
        IF have AND p_in THEN
            year_from := y; district := p_district; industry := p_industry; unit := p_unit;
            title_level := p_level; delta := -1;
            RETURN NEXT;
        END IF;
        IF h.in_service THEN
            year_from := y; district := h.district; industry := h.industry; unit := h.unit;
            title_level := h.title_level; delta := 1;
            RETURN NEXT;
        END IF;
        have := true;
        p_in := h.in_service; p_district := h.district; p_industry := h.industry;
        p_unit := h.unit; p_level := h.title_level;
    END LOOP;
END
$$;

-- p_sign × a person's whole contribution to the headcount and trainee
-- aggregates (called with -1 before their history changes, +1 after)
CREATE FUNCTION jxjy._person_report(p_person uuid, p_sign integer) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
BEGIN
    INSERT INTO jxjy.report_headcount AS h
           (year_from, district, industry, unit, title_level, headcount)
    SELECT s.year_from, s.district, s.industry, s.unit, s.title_level, sum(p_sign * s.delta)
      FROM jxjy._headcount_series(p_person) s
     GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (year_from, district, industry, unit, title_level) DO UPDATE
       SET headcount = h.headcount + EXCLUDED.headcount;
    INSERT INTO jxjy.report_trainees AS t
           (year, district, industry, unit, title_level, base, trainees, enrolments,
            government, unit_share, individual)
    SELECT pr.year, h.district, h.industry, h.unit, h.title_level, e.base, p_sign,
           p_sign * count(*), p_sign * sum(pr.fee * pr.funding_government / 100),
           p_sign * sum(pr.fee * pr.funding_unit / 100), p_sign * sum(pr.fee * pr.funding_individual / 100)
      FROM jxjy.enrolments e JOIN jxjy.projects pr ON pr.id = e.project
     CROSS JOIN LATERAL jxjy._person_holding(p_person, pr.year) h
     WHERE e.person = p_person AND e.status = 'completed'
     GROUP BY pr.year, h.district, h.industry, h.unit, h.title_level, e.base
    ON CONFLICT (year, district, industry, unit, title_level, base) DO UPDATE
       SET trainees = t.trainees + EXCLUDED.trainees, enrolments = t.enrolments + EXCLUDED.enrolments,
           government = t.government + EXCLUDED.government,
           unit_share = t.unit_share + EXCLUDED.unit_share,
           individual = t.individual + EXCLUDED.individual;
END
$$;

-- ---- a change of situation ------------------------------------------------

CREATE FUNCTION jxjy._person_changes_before() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
    first date;
BEGIN
    -- one change of a person at a time, and their persons row stays put
    PERFORM 1 FROM jxjy.persons p WHERE p.id = NEW.person FOR UPDATE;
    SELECT s.first_day INTO first FROM jxjy._person_at(NEW.person, jxjy.today()) s;
    IF NEW.effective_date > jxjy.today() THEN
        RAISE EXCEPTION 'effective_date is in the future' USING ERRCODE = 'JX422',
            COLUMN = 'effective_date', CONSTRAINT = 'in_future';
    END IF;
    IF NEW.effective_date < first THEN
        RAISE EXCEPTION 'effective_date is before the first period' USING ERRCODE = 'JX422',
            COLUMN = 'effective_date', CONSTRAINT = 'before_first_period';
    END IF;
    PERFORM jxjy._person_report(NEW.person, -1);
    PERFORM jxjy._restore(prev);
    RETURN NEW;
END
$$;

CREATE FUNCTION jxjy._person_changes_after() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
    y0 integer := extract(year FROM NEW.effective_date)::int;
    s record;
BEGIN
    SELECT * INTO s FROM jxjy._person_at(NEW.person, jxjy.today());
    UPDATE jxjy.persons p
       SET title_level = s.title_level, industry = s.industry, unit = s.unit, status = s.status
     WHERE p.id = NEW.person
       AND (p.title_level, p.industry, p.unit, p.status)
           IS DISTINCT FROM (s.title_level, s.industry, s.unit, s.status);
    UPDATE jxjy.records r
       SET (year_district, year_unit, year_industry) =
           (SELECT h.district, h.unit, h.industry FROM jxjy._person_holding(r.person, r.year) h)
     WHERE r.person = NEW.person AND r.year >= y0;
    UPDATE jxjy.person_year_summary ys
       SET (as_of, judged_industry) =
           (SELECT j.as_of, j.industry FROM jxjy._person_judging(ys.person, ys.year) j),
           (year_district, year_unit, year_industry, year_title_level, year_in_service) =
           (SELECT h.district, h.unit, h.industry, h.title_level, h.in_service
              FROM jxjy._person_holding(ys.person, ys.year) h)
     WHERE ys.person = NEW.person AND ys.year >= y0;
    PERFORM jxjy._person_report(NEW.person, 1);
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;

CREATE TRIGGER person_changes_before BEFORE INSERT ON jxjy.person_changes
    FOR EACH ROW WHEN (NEW.kind <> 'register') EXECUTE FUNCTION jxjy._person_changes_before();
CREATE TRIGGER person_changes_after AFTER INSERT ON jxjy.person_changes
    FOR EACH ROW WHEN (NEW.kind <> 'register') EXECUTE FUNCTION jxjy._person_changes_after();
CREATE FUNCTION jxjy._person_changes_append_only() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
    RAISE EXCEPTION 'a person''s history is only ever added to' USING ERRCODE = '42501';
END
$$;
CREATE TRIGGER person_changes_no_update BEFORE UPDATE OR DELETE ON jxjy.person_changes
    FOR EACH ROW EXECUTE FUNCTION jxjy._person_changes_append_only();

-- PATCH /v1/persons/{id} (R-28): record a change under the caller's claims.
-- The persons row must be visible and updatable to the caller (the same
-- policy as an UPDATE of it); then the log row is written as the system.
-- Returns the first year whose decision may change (the caller re-decides
-- the years from it to the running year), NULL when nothing changed.
CREATE FUNCTION jxjy.person_change(p_person uuid, p_effective date,
    p_title_level jxjy.title_level, p_industry text, p_status jxjy.person_status)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text;
    sub text := jxjy.claim_sub();
    s record;
BEGIN
    -- under the caller's claims: FOR UPDATE applies persons_update (RLS)
    PERFORM 1 FROM jxjy.persons p WHERE p.id = p_person FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'person % not found', p_person USING ERRCODE = 'P0002';
    END IF;
    SELECT * INTO s FROM jxjy._person_at(p_person, p_effective);
    IF (p_title_level IS NULL OR p_title_level = s.title_level)
       AND (p_industry IS NULL OR p_industry = s.industry)
       AND (p_status IS NULL OR p_status = s.status) THEN
        RETURN NULL;
    END IF;
    prev := jxjy._elevate();
    INSERT INTO jxjy.person_changes (person, effective_date, kind, title_level, industry, status,
                                     recorded_by)
    VALUES (p_person, p_effective, 'change',
            nullif(p_title_level, s.title_level), nullif(p_industry, s.industry),
            nullif(p_status, s.status), sub);
    PERFORM jxjy._restore(prev);
    RETURN extract(year FROM p_effective)::int;
END
$$;

-- ---- transfers take effect on acceptance (R-28) ---------------------------

CREATE OR REPLACE FUNCTION jxjy._transfers_accepted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    PERFORM 1 FROM jxjy.persons p WHERE p.id = NEW.person AND p.unit = NEW.from_unit FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'the person is no longer in the releasing unit' USING ERRCODE = 'JX409';
    END IF;
    INSERT INTO jxjy.person_changes (person, effective_date, kind, unit, transfer, recorded_by)
    VALUES (NEW.person, jxjy.today(), 'transfer', NEW.to_unit, NEW.id, NEW.accepted_by);
    UPDATE jxjy.person_employments SET transfer = NEW.id
     WHERE person = NEW.person AND to_date IS NULL;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;

-- ---- records: the year's holding, nothing after leaving (R-30, R-31) -------

CREATE OR REPLACE FUNCTION jxjy._records_fill() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    p record;
    h record;
    left_on date;
BEGIN
    SELECT pe.district, pe.unit, pe.industry INTO p
      FROM jxjy.persons pe WHERE pe.id = NEW.person;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'person % not found', NEW.person USING ERRCODE = '23503';
    END IF;
    left_on := jxjy.person_left_on(NEW.person, NEW.start_date);
    IF left_on IS NOT NULL THEN
        RAISE EXCEPTION 'the person left service on %', left_on USING ERRCODE = 'JX422',
            COLUMN = 'start_date', CONSTRAINT = 'after_leaving';
    END IF;
    NEW.reg_district := p.district;  NEW.cur_district := p.district;
    NEW.reg_unit := p.unit;          NEW.cur_unit := p.unit;
    NEW.reg_industry := p.industry;  NEW.cur_industry := p.industry;
    SELECT * INTO h FROM jxjy.person_holding(NEW.person, NEW.year);
    NEW.year_district := h.district; NEW.year_unit := h.unit; NEW.year_industry := h.industry;
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

-- SECURITY DEFINER wrappers for the fill triggers, which run under the
-- caller's claims (the log is readable only with the person)
CREATE FUNCTION jxjy.person_left_on(p_person uuid, p_date date) RETURNS date
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
    d date;
BEGIN
    d := jxjy._person_left_on(p_person, p_date);
    PERFORM jxjy._restore(prev);
    RETURN d;
END
$$;
CREATE FUNCTION jxjy.person_holding(p_person uuid, p_year integer,
    OUT unit uuid, OUT district char(6), OUT industry text, OUT title_level jxjy.title_level,
    OUT in_service boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    SELECT h.unit, h.district, h.industry, h.title_level, h.in_service
      INTO unit, district, industry, title_level, in_service
      FROM jxjy._person_holding(p_person, p_year) h;
    PERFORM jxjy._restore(prev);
END
$$;

CREATE OR REPLACE FUNCTION jxjy._records_report() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'verified' THEN
        PERFORM jxjy._report_hours_add(OLD.year, OLD.year_district, OLD.year_industry,
            OLD.year_unit, OLD.base, OLD.category, OLD.form, OLD.class_type, -OLD.hours, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'verified' THEN
        PERFORM jxjy._report_hours_add(NEW.year, NEW.year_district, NEW.year_industry,
            NEW.year_unit, NEW.base, NEW.category, NEW.form, NEW.class_type, NEW.hours, 1);
    END IF;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
DROP TRIGGER records_report_update ON jxjy.records;
CREATE TRIGGER records_report_update
    AFTER UPDATE OF status, year_district, year_unit, year_industry ON jxjy.records
    FOR EACH ROW
    WHEN ((OLD.status = 'verified' OR NEW.status = 'verified')
          AND (OLD.status IS DISTINCT FROM NEW.status
               OR OLD.year_district IS DISTINCT FROM NEW.year_district
               OR OLD.year_unit IS DISTINCT FROM NEW.year_unit
               OR OLD.year_industry IS DISTINCT FROM NEW.year_industry))
    EXECUTE FUNCTION jxjy._records_report();

-- ---- the person-year summary ----------------------------------------------

-- report_compliance from the summary row alone: its year's holding
CREATE OR REPLACE FUNCTION jxjy._summary_report() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.year_in_service THEN
        INSERT INTO jxjy.report_compliance AS c
               (year, district, industry, unit, title_level, decided, compliant,
                public_hours, professional_hours)
        VALUES (OLD.year, OLD.year_district, OLD.year_industry, OLD.year_unit,
                OLD.year_title_level, -1, -(OLD.compliant::integer), -OLD.public_verified,
                -OLD.professional_verified)
        ON CONFLICT (year, district, industry, unit, title_level) DO UPDATE
           SET decided = c.decided + EXCLUDED.decided,
               compliant = c.compliant + EXCLUDED.compliant,
               public_hours = c.public_hours + EXCLUDED.public_hours,
               professional_hours = c.professional_hours + EXCLUDED.professional_hours;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.year_in_service THEN
        INSERT INTO jxjy.report_compliance AS c
               (year, district, industry, unit, title_level, decided, compliant,
                public_hours, professional_hours)
        VALUES (NEW.year, NEW.year_district, NEW.year_industry, NEW.year_unit,
                NEW.year_title_level, 1, NEW.compliant::integer, NEW.public_verified,
                NEW.professional_verified)
        ON CONFLICT (year, district, industry, unit, title_level) DO UPDATE
           SET decided = c.decided + EXCLUDED.decided,
               compliant = c.compliant + EXCLUDED.compliant,
               public_hours = c.public_hours + EXCLUDED.public_hours,
               professional_hours = c.professional_hours + EXCLUDED.professional_hours;
    END IF;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
DROP TRIGGER person_year_summary_report_update ON jxjy.person_year_summary;
CREATE TRIGGER person_year_summary_report_update
    AFTER UPDATE OF compliant, public_verified, professional_verified, person, year,
        year_district, year_unit, year_industry, year_title_level, year_in_service
    ON jxjy.person_year_summary
    FOR EACH ROW
    WHEN ((OLD.compliant, OLD.public_verified, OLD.professional_verified, OLD.person, OLD.year,
           OLD.year_district, OLD.year_unit, OLD.year_industry, OLD.year_title_level,
           OLD.year_in_service)
          IS DISTINCT FROM
          (NEW.compliant, NEW.public_verified, NEW.professional_verified, NEW.person, NEW.year,
           NEW.year_district, NEW.year_unit, NEW.year_industry, NEW.year_title_level,
           NEW.year_in_service))
    EXECUTE FUNCTION jxjy._summary_report();

-- a row written without its basis or holding (fixtures, repairs) gets them
-- from the history: they are never missing
CREATE FUNCTION jxjy._summary_fill() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text;
BEGIN
    IF NEW.as_of IS NULL OR NEW.judged_industry IS NULL THEN
        prev := jxjy._elevate();
        SELECT coalesce(NEW.as_of, j.as_of), coalesce(NEW.judged_industry, j.industry)
          INTO NEW.as_of, NEW.judged_industry FROM jxjy._person_judging(NEW.person, NEW.year) j;
        PERFORM jxjy._restore(prev);
    END IF;
    IF num_nulls(NEW.year_district, NEW.year_unit, NEW.year_industry, NEW.year_title_level,
                 NEW.year_in_service) > 0 THEN
        prev := jxjy._elevate();
        SELECT coalesce(NEW.year_district, h.district), coalesce(NEW.year_unit, h.unit),
               coalesce(NEW.year_industry, h.industry), coalesce(NEW.year_title_level, h.title_level),
               coalesce(NEW.year_in_service, h.in_service)
          INTO NEW.year_district, NEW.year_unit, NEW.year_industry, NEW.year_title_level,
               NEW.year_in_service
          FROM jxjy._person_holding(NEW.person, NEW.year) h;
        PERFORM jxjy._restore(prev);
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER person_year_summary_fill BEFORE INSERT ON jxjy.person_year_summary
    FOR EACH ROW EXECUTE FUNCTION jxjy._summary_fill();

-- The inputs of one person-year's decision (R-29): hours, and the level and
-- industry held on the judging date, which is returned too.  Same locks as
-- before (advisory per person-year).
DROP FUNCTION jxjy.person_year_hours(uuid, integer);
DROP FUNCTION jxjy._person_year_hours(uuid, integer);
CREATE FUNCTION jxjy._person_year_hours(p_person uuid, p_year integer,
    OUT public_verified numeric, OUT professional_verified numeric,
    OUT public_pending numeric, OUT professional_pending numeric,
    OUT title_level jxjy.title_level, OUT industry text, OUT as_of date)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
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
    SELECT j.title_level, j.industry, j.as_of INTO title_level, industry, as_of
      FROM jxjy._person_judging(p_person, p_year) j;
    PERFORM jxjy._restore(prev);
END
$$;
CREATE FUNCTION jxjy.person_year_hours(p_person uuid, p_year integer,
    OUT public_verified numeric, OUT professional_verified numeric,
    OUT public_pending numeric, OUT professional_pending numeric,
    OUT title_level jxjy.title_level, OUT industry text, OUT as_of date)
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF NOT jxjy._may_touch_person_year(p_person, p_year) THEN
        RAISE EXCEPTION 'person % not found', p_person USING ERRCODE = 'P0002';
    END IF;
    SELECT h.public_verified, h.professional_verified, h.public_pending, h.professional_pending,
           h.title_level, h.industry, h.as_of
      INTO public_verified, professional_verified, public_pending, professional_pending,
           title_level, industry, as_of
      FROM jxjy._person_year_hours(p_person, p_year) h;
END
$$;
REVOKE EXECUTE ON FUNCTION jxjy._person_year_hours(uuid, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION jxjy.person_year_hours(uuid, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.person_year_hours(uuid, integer) TO jxjy_app;

-- the decision saved with the judging basis and the year's holding
CREATE OR REPLACE FUNCTION jxjy._person_year_store(p_person uuid, p_year integer, p_rule_set uuid, p_title_level jxjy.title_level, p_public_verified numeric, p_professional_verified numeric, p_public_pending numeric, p_professional_pending numeric, p_required_public numeric, p_required_professional numeric, p_compliant boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    INSERT INTO jxjy.person_year_summary AS s
           (person, year, rule_set, title_level, district, industry, unit,
            public_verified, professional_verified, public_pending, professional_pending,
            required_public, required_professional, compliant, decided_at,
            as_of, judged_industry, year_district, year_unit, year_industry, year_title_level,
            year_in_service)
    SELECT p.id, p_year, p_rule_set, p_title_level, p.district, p.industry, p.unit,
           p_public_verified, p_professional_verified, p_public_pending, p_professional_pending,
           p_required_public, p_required_professional, p_compliant, now(),
           j.as_of, j.industry, h.district, h.unit, h.industry, h.title_level, h.in_service
      FROM jxjy.persons p
     CROSS JOIN LATERAL jxjy._person_judging(p.id, p_year) j
     CROSS JOIN LATERAL jxjy._person_holding(p.id, p_year) h
     WHERE p.id = p_person
    ON CONFLICT (person, year) DO UPDATE
       SET rule_set = EXCLUDED.rule_set, title_level = EXCLUDED.title_level,
           district = EXCLUDED.district, industry = EXCLUDED.industry, unit = EXCLUDED.unit,
           public_verified = EXCLUDED.public_verified,
           professional_verified = EXCLUDED.professional_verified,
           public_pending = EXCLUDED.public_pending,
           professional_pending = EXCLUDED.professional_pending,
           required_public = EXCLUDED.required_public,
           required_professional = EXCLUDED.required_professional,
           compliant = EXCLUDED.compliant, decided_at = EXCLUDED.decided_at,
           as_of = EXCLUDED.as_of, judged_industry = EXCLUDED.judged_industry,
           year_district = EXCLUDED.year_district, year_unit = EXCLUDED.year_unit,
           year_industry = EXCLUDED.year_industry, year_title_level = EXCLUDED.year_title_level,
           year_in_service = EXCLUDED.year_in_service;
    PERFORM jxjy._restore(prev);
END
$$;

-- a unit moving to another district moves the holding of its years too
CREATE OR REPLACE FUNCTION jxjy._units_district_cascade() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    UPDATE jxjy.persons SET district = NEW.district
     WHERE unit = NEW.id AND district IS DISTINCT FROM NEW.district;
    UPDATE jxjy.unit_evaluations SET district = NEW.district
     WHERE unit = NEW.id AND district IS DISTINCT FROM NEW.district;
    UPDATE jxjy.records SET year_district = NEW.district
     WHERE year_unit = NEW.id AND year_district IS DISTINCT FROM NEW.district;
    UPDATE jxjy.person_year_summary SET year_district = NEW.district
     WHERE year_unit = NEW.id AND year_district IS DISTINCT FROM NEW.district;
    UPDATE jxjy.report_headcount SET district = NEW.district
     WHERE unit = NEW.id AND district IS DISTINCT FROM NEW.district;
    UPDATE jxjy.report_trainees SET district = NEW.district
     WHERE unit = NEW.id AND district IS DISTINCT FROM NEW.district;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;

-- trainees of a project year belong to the holding of that year (R-30)
CREATE OR REPLACE FUNCTION jxjy._enrolments_report() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
    e record;
    was integer := 0;
    now_c integer := 0;
    others integer;
    p record;
    pr record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        was := (OLD.status = 'completed')::integer;
        e := OLD;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        now_c := (NEW.status = 'completed')::integer;
        e := NEW;
    END IF;
    IF was <> now_c THEN
        PERFORM pg_advisory_xact_lock(hashtextextended(e.person::text, 2520));
        PERFORM 1 FROM jxjy.persons pe WHERE pe.id = e.person FOR SHARE;
        SELECT x.year, x.fee, x.funding_government, x.funding_unit, x.funding_individual INTO pr
          FROM jxjy.projects x WHERE x.id = e.project;
        SELECT h.district, h.industry, h.unit, h.title_level INTO p
          FROM jxjy._person_holding(e.person, pr.year) h;
        SELECT count(*) INTO others
          FROM jxjy.enrolments o JOIN jxjy.projects op ON op.id = o.project
         WHERE o.person = e.person AND o.base = e.base AND op.year = pr.year
           AND o.status = 'completed' AND o.id <> e.id;
        INSERT INTO jxjy.report_trainees AS t
               (year, district, industry, unit, title_level, base, trainees, enrolments,
                government, unit_share, individual)
        VALUES (pr.year, p.district, p.industry, p.unit, p.title_level, e.base,
                ((others + now_c) > 0)::integer - ((others + was) > 0)::integer,
                now_c - was,
                (now_c - was) * pr.fee * pr.funding_government / 100,
                (now_c - was) * pr.fee * pr.funding_unit / 100,
                (now_c - was) * pr.fee * pr.funding_individual / 100)
        ON CONFLICT (year, district, industry, unit, title_level, base) DO UPDATE
           SET trainees = t.trainees + EXCLUDED.trainees,
               enrolments = t.enrolments + EXCLUDED.enrolments,
               government = t.government + EXCLUDED.government,
               unit_share = t.unit_share + EXCLUDED.unit_share,
               individual = t.individual + EXCLUDED.individual;
    END IF;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;

-- a project's fee moves the funding of its trainees where they are filed:
-- the holding of the project's year (R-30)
CREATE OR REPLACE FUNCTION jxjy._projects_report() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    IF (NEW.year, NEW.base) IS DISTINCT FROM (OLD.year, OLD.base)
       AND EXISTS (SELECT 1 FROM jxjy.enrolments e WHERE e.project = NEW.id AND e.status = 'completed') THEN
        RAISE EXCEPTION 'a project with completed enrolments cannot change its year or base'
            USING ERRCODE = 'JX409';
    END IF;
    INSERT INTO jxjy.report_trainees AS t
           (year, district, industry, unit, title_level, base, trainees, enrolments,
            government, unit_share, individual)
    SELECT NEW.year, h.district, h.industry, h.unit, h.title_level, e.base, 0, 0,
           count(*) * (NEW.fee * NEW.funding_government - OLD.fee * OLD.funding_government) / 100,
           count(*) * (NEW.fee * NEW.funding_unit - OLD.fee * OLD.funding_unit) / 100,
           count(*) * (NEW.fee * NEW.funding_individual - OLD.fee * OLD.funding_individual) / 100
      FROM jxjy.enrolments e CROSS JOIN LATERAL jxjy._person_holding(e.person, NEW.year) h
     WHERE e.project = NEW.id AND e.status = 'completed'
     GROUP BY h.district, h.industry, h.unit, h.title_level, e.base
    ON CONFLICT (year, district, industry, unit, title_level, base) DO UPDATE
       SET government = t.government + EXCLUDED.government,
           unit_share = t.unit_share + EXCLUDED.unit_share,
           individual = t.individual + EXCLUDED.individual;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;

-- R-31 for enrolments (enrolled today) and achievements (of a year): a
-- person out of service on that day is refused, naming `person`
CREATE FUNCTION jxjy._registration_after_leaving() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    d date := jxjy.today();
    left_on date;
BEGIN
    IF TG_TABLE_NAME = 'achievements' THEN
        d := make_date(NEW.year, 1, 1);   -- (a field enrolments lack: only read here)
    END IF;
    left_on := jxjy.person_left_on(NEW.person, d);
    IF left_on IS NOT NULL THEN
        RAISE EXCEPTION 'the person left service on %', left_on USING ERRCODE = 'JX422',
            COLUMN = 'person', CONSTRAINT = 'after_leaving';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER enrolments_after_leaving BEFORE INSERT ON jxjy.enrolments
    FOR EACH ROW EXECUTE FUNCTION jxjy._registration_after_leaving();
CREATE TRIGGER achievements_after_leaving BEFORE INSERT ON jxjy.achievements
    FOR EACH ROW EXECUTE FUNCTION jxjy._registration_after_leaving();

-- ---- the aggregates in bulk (0009's function, on the year columns) ---------

CREATE OR REPLACE FUNCTION jxjy.rebuild_report_aggregates(OUT hours_rows bigint, OUT headcount_rows bigint, OUT compliance_rows bigint, OUT trainees_rows bigint) RETURNS record
    LANGUAGE plpgsql
    SET search_path TO 'pg_catalog', 'jxjy'
    AS $$
DECLARE
    prev text := jxjy._elevate();   -- every row visible, the aggregates' write policy passes
BEGIN
    LOCK TABLE jxjy.records, jxjy.persons, jxjy.person_year_summary, jxjy.enrolments,
               jxjy.projects, jxjy.person_changes IN SHARE MODE;
    LOCK TABLE jxjy.report_hours, jxjy.report_headcount, jxjy.report_compliance,
               jxjy.report_trainees IN ACCESS EXCLUSIVE MODE;
    TRUNCATE jxjy.report_hours, jxjy.report_headcount, jxjy.report_compliance,
             jxjy.report_trainees;

    -- a person with at most their registration in the log (or none: loaded
    -- with the triggers off) holds the persons row's situation throughout,
    -- so their year columns are filled in bulk; the others person by person
    DROP TABLE IF EXISTS pg_temp.rebuild_changed;
    CREATE TEMP TABLE rebuild_changed ON COMMIT DROP AS
    SELECT c.person FROM jxjy.person_changes c WHERE c.kind <> 'register' GROUP BY c.person;
    CREATE UNIQUE INDEX ON rebuild_changed (person);
    UPDATE jxjy.records r
       SET year_district = p.district, year_unit = p.unit, year_industry = p.industry
      FROM jxjy.persons p
     WHERE p.id = r.person AND NOT EXISTS (SELECT 1 FROM rebuild_changed x WHERE x.person = p.id)
       AND (r.year_district, r.year_unit, r.year_industry)
           IS DISTINCT FROM (p.district, p.unit, p.industry);
    UPDATE jxjy.records r
       SET (year_district, year_unit, year_industry) =
           (SELECT h.district, h.unit, h.industry FROM jxjy._person_holding(r.person, r.year) h)
     WHERE r.person IN (SELECT x.person FROM rebuild_changed x);

    INSERT INTO jxjy.report_hours
           (year, district, industry, unit, base, category, form, class_type, hours, records)
    SELECT r.year, r.year_district, r.year_industry, r.year_unit, r.base, r.category, r.form,
           r.class_type, sum(r.hours), count(*)
      FROM jxjy.records r
     WHERE r.status = 'verified'
     GROUP BY r.year, r.year_district, r.year_industry, r.year_unit, r.base, r.category, r.form,
              r.class_type
     ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS hours_rows = ROW_COUNT;

    INSERT INTO jxjy.report_headcount (year_from, district, industry, unit, title_level, headcount)
    SELECT extract(year FROM p.since)::int, p.district, p.industry, p.unit, p.title_level, count(*)
      FROM jxjy.persons p
     WHERE p.status = 'in_service' AND NOT EXISTS (SELECT 1 FROM rebuild_changed x WHERE x.person = p.id)
     GROUP BY 1, 2, 3, 4, 5;
    INSERT INTO jxjy.report_headcount AS h
           (year_from, district, industry, unit, title_level, headcount)
    SELECT s.year_from, s.district, s.industry, s.unit, s.title_level, sum(s.delta)
      FROM rebuild_changed x CROSS JOIN LATERAL jxjy._headcount_series(x.person) s
     GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (year_from, district, industry, unit, title_level) DO UPDATE
       SET headcount = h.headcount + EXCLUDED.headcount;
    GET DIAGNOSTICS headcount_rows = ROW_COUNT;

    INSERT INTO jxjy.report_compliance
           (year, district, industry, unit, title_level, decided, compliant,
            public_hours, professional_hours)
    SELECT s.year, s.year_district, s.year_industry, s.year_unit, s.year_title_level, count(*),
           count(*) FILTER (WHERE s.compliant), sum(s.public_verified), sum(s.professional_verified)
      FROM jxjy.person_year_summary s
     WHERE s.year_in_service
     GROUP BY s.year, s.year_district, s.year_industry, s.year_unit, s.year_title_level
     ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS compliance_rows = ROW_COUNT;

    INSERT INTO jxjy.report_trainees
           (year, district, industry, unit, title_level, base, trainees, enrolments,
            government, unit_share, individual)
    SELECT pr.year, h.district, h.industry, h.unit, h.title_level, e.base, count(DISTINCT e.person),
           count(*), sum(pr.fee * pr.funding_government / 100), sum(pr.fee * pr.funding_unit / 100),
           sum(pr.fee * pr.funding_individual / 100)
      FROM jxjy.enrolments e
      JOIN jxjy.projects pr ON pr.id = e.project
      JOIN jxjy.persons p ON p.id = e.person
     CROSS JOIN LATERAL (SELECT p.district, p.industry, p.unit, p.title_level
                          WHERE NOT EXISTS (SELECT 1 FROM rebuild_changed x WHERE x.person = p.id)
                         UNION ALL
                         SELECT hh.district, hh.industry, hh.unit, hh.title_level
                           FROM jxjy._person_holding(p.id, pr.year) hh
                          WHERE EXISTS (SELECT 1 FROM rebuild_changed x WHERE x.person = p.id)) h
     WHERE e.status = 'completed'
     GROUP BY pr.year, h.district, h.industry, h.unit, h.title_level, e.base
     ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS trainees_rows = ROW_COUNT;

    PERFORM jxjy._restore(prev);
END
$$;

-- the aggregates as the new triggers keep them
SELECT * FROM jxjy.rebuild_report_aggregates();

-- ---- privileges -------------------------------------------------------------

REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA jxjy FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy._person_at(uuid, date), jxjy._person_judging(uuid, integer),
    jxjy.judging_date(date, integer), jxjy.holding_date(integer, date),
    jxjy._person_year_hours(uuid, integer),
    jxjy.person_history(uuid), jxjy.person_change(uuid, date, jxjy.title_level, text, jxjy.person_status),
    jxjy.person_left_on(uuid, date), jxjy.person_holding(uuid, integer)
    TO jxjy_app;
