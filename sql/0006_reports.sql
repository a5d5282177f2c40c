-- 0006_reports.sql — statistics (R-25): small aggregate tables kept exact by
-- triggers, so that the annual report never scans records or persons; the
-- training figures (trainees, funding) of a scope; samples' draw bookkeeping.
--
-- Applied by the migration runner in one transaction, by the owner, under an
-- advisory lock (see 0001's header).
--
-- Four aggregates, each a function of rows the gateway already writes:
--   report_hours       verified hours by (year, current district, industry,
--                      unit, base, category, form, class type).  A record
--                      counts iff status = 'verified'; the key uses the
--                      record's cur_* columns (the person's CURRENT
--                      jurisdiction, like person_year_summary and the records
--                      policy), so a transfer moves the person's hours with
--                      them (persons_moved updates records.cur_*, which fires
--                      the trigger here).  base: the base whose project
--                      produced the record (NULL otherwise), for bases' own
--                      reports.
--   report_headcount   in-service persons by (current district, industry,
--                      unit, title level) — "headcount is the in-service
--                      persons of the scope" (API.md).
--   report_compliance  per year and the same key: how many of those
--                      in-service persons have a compliant person-year (as
--                      core decided it, person_year_summary.compliant), how
--                      many have a decided year at all, and their verified
--                      public/professional hours.  The key is the person's
--                      CURRENT title level and jurisdiction, the same as
--                      report_headcount's, so compliant <= headcount holds in
--                      every cell and rates are meaningful.
-- None of them holds a person's data (sums and counts by unit at the finest),
-- so they are not in sql/checks/a2_catalog.sql's explicit list; they have
-- row-level security enabled and forced all the same (the check's second arm
-- requires it of every table jxjy_app can read), with read policies by
-- district / industry / unit (/ base for report_hours).
--
-- Exactness under concurrency:
--   * report_hours: the trigger uses OLD/NEW of the record's own UPDATE; two
--     writers of one record serialise on its row lock, so every change is
--     counted once with the values it replaced.
--   * report_compliance depends on two rows (the summary row and the person
--     row).  A summary write first takes FOR SHARE on the person row (BEFORE
--     trigger), a persons update takes the row's update lock: the two
--     serialise, always in the order person -> summary (persons_moved also
--     updates summary rows after locking the person), so no deadlock, and the
--     one that waits reads the other's committed result in its next statement
--     (READ COMMITTED).  Summary updates that only move district/industry/unit
--     (persons_moved) are ignored by the summary trigger: the persons trigger
--     moves the person's whole contribution between keys itself.
--   * report_trainees: an enrolment's completion takes an advisory lock on
--     its person (two completions of one person at one base must not both
--     count a new trainee) and FOR SHARE on the person row, as above.  A
--     project's fee or split may change after completions (the funding
--     follows); its year or base may not (JX409).

SELECT pg_catalog.set_config('jxjy.claims', '{"role": "city_bureau", "sub": "migration:0003"}', true);

-- ---------------------------------------------------------------------------
-- Aggregate tables
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.report_hours (
    year       integer NOT NULL,
    district   char(6) NOT NULL,
    industry   text NOT NULL,
    unit       uuid NOT NULL,
    base       uuid,                      -- NULL: not from a base project
    category   jxjy.category NOT NULL,
    form       text NOT NULL,
    class_type jxjy.class_type,           -- NULL: achievements
    hours      numeric(14,1) NOT NULL DEFAULT 0,
    records    integer NOT NULL DEFAULT 0,
    CONSTRAINT report_hours_key UNIQUE NULLS NOT DISTINCT
        (year, district, industry, unit, base, category, form, class_type)
);
-- the unique key (year first) serves city-wide and district reports
CREATE INDEX report_hours_industry ON jxjy.report_hours (year, industry);
CREATE INDEX report_hours_unit ON jxjy.report_hours (year, unit);
CREATE INDEX report_hours_base ON jxjy.report_hours (year, base) WHERE base IS NOT NULL;

CREATE TABLE jxjy.report_headcount (
    district    char(6) NOT NULL,
    industry    text NOT NULL,
    unit        uuid NOT NULL,
    title_level jxjy.title_level NOT NULL,
    headcount   integer NOT NULL DEFAULT 0,
    PRIMARY KEY (district, industry, unit, title_level)
);
CREATE INDEX report_headcount_industry ON jxjy.report_headcount (industry);
CREATE INDEX report_headcount_unit ON jxjy.report_headcount (unit);

CREATE TABLE jxjy.report_compliance (
    year               integer NOT NULL,
    district           char(6) NOT NULL,
    industry           text NOT NULL,
    unit               uuid NOT NULL,
    title_level        jxjy.title_level NOT NULL,
    decided            integer NOT NULL DEFAULT 0,   -- in-service persons with a summary row
    compliant          integer NOT NULL DEFAULT 0,   -- … whose year is compliant
    public_hours       numeric(14,1) NOT NULL DEFAULT 0,  -- their verified hours
    professional_hours numeric(14,1) NOT NULL DEFAULT 0,
    PRIMARY KEY (year, district, industry, unit, title_level)
);
CREATE INDEX report_compliance_industry ON jxjy.report_compliance (year, industry);
CREATE INDEX report_compliance_unit ON jxjy.report_compliance (year, unit);

-- ---------------------------------------------------------------------------
-- Maintenance (owner rights; called from the elevated triggers below)
-- ---------------------------------------------------------------------------
CREATE FUNCTION jxjy._report_hours_add(p_year integer, p_district char(6), p_industry text,
        p_unit uuid, p_base uuid, p_category jxjy.category, p_form text,
        p_class_type jxjy.class_type, p_hours numeric, p_records integer)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
    INSERT INTO jxjy.report_hours AS h
           (year, district, industry, unit, base, category, form, class_type, hours, records)
    VALUES (p_year, p_district, p_industry, p_unit, p_base, p_category, p_form, p_class_type,
            p_hours, p_records)
    ON CONFLICT ON CONSTRAINT report_hours_key DO UPDATE
       SET hours = h.hours + EXCLUDED.hours, records = h.records + EXCLUDED.records;
END
$$;

-- A record's verified hours in or out of the aggregate.
CREATE FUNCTION jxjy._records_report() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'verified' THEN
        PERFORM jxjy._report_hours_add(OLD.year, OLD.cur_district, OLD.cur_industry, OLD.cur_unit,
            OLD.base, OLD.category, OLD.form, OLD.class_type, -OLD.hours, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'verified' THEN
        PERFORM jxjy._report_hours_add(NEW.year, NEW.cur_district, NEW.cur_industry, NEW.cur_unit,
            NEW.base, NEW.category, NEW.form, NEW.class_type, NEW.hours, 1);
    END IF;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
CREATE TRIGGER records_report_insert AFTER INSERT ON jxjy.records
    FOR EACH ROW WHEN (NEW.status = 'verified')
    EXECUTE FUNCTION jxjy._records_report();
-- status changes (verify, revoke) and the cur_* columns moved by transfers;
-- the content columns never change (records_guard)
CREATE TRIGGER records_report_update
    AFTER UPDATE OF status, cur_district, cur_unit, cur_industry ON jxjy.records
    FOR EACH ROW
    WHEN ((OLD.status = 'verified' OR NEW.status = 'verified')
          AND (OLD.status, OLD.cur_district, OLD.cur_unit, OLD.cur_industry)
              IS DISTINCT FROM (NEW.status, NEW.cur_district, NEW.cur_unit, NEW.cur_industry))
    EXECUTE FUNCTION jxjy._records_report();
CREATE TRIGGER records_report_delete AFTER DELETE ON jxjy.records
    FOR EACH ROW WHEN (OLD.status = 'verified')
    EXECUTE FUNCTION jxjy._records_report();

-- One person's whole contribution to report_compliance at a key, with a
-- sign: +1 adds their summary rows (every year), -1 takes them away.
CREATE FUNCTION jxjy._report_person_move(p_person uuid, p_sign integer, p_district char(6),
        p_industry text, p_unit uuid, p_title_level jxjy.title_level)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
    INSERT INTO jxjy.report_headcount AS h (district, industry, unit, title_level, headcount)
    VALUES (p_district, p_industry, p_unit, p_title_level, p_sign)
    ON CONFLICT (district, industry, unit, title_level) DO UPDATE
       SET headcount = h.headcount + EXCLUDED.headcount;
    INSERT INTO jxjy.report_compliance AS c
           (year, district, industry, unit, title_level, decided, compliant,
            public_hours, professional_hours)
    SELECT s.year, p_district, p_industry, p_unit, p_title_level, p_sign,
           p_sign * s.compliant::integer, p_sign * s.public_verified, p_sign * s.professional_verified
      FROM jxjy.person_year_summary s
     WHERE s.person = p_person
    ON CONFLICT (year, district, industry, unit, title_level) DO UPDATE
       SET decided = c.decided + EXCLUDED.decided, compliant = c.compliant + EXCLUDED.compliant,
           public_hours = c.public_hours + EXCLUDED.public_hours,
           professional_hours = c.professional_hours + EXCLUDED.professional_hours;
END
$$;

-- A person joined, left, changed title or moved (transfer, unit re-division,
-- industry): their headcount and summary rows follow.
CREATE FUNCTION jxjy._persons_report() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.status = 'in_service' THEN
        PERFORM jxjy._report_person_move(OLD.id, -1, OLD.district, OLD.industry, OLD.unit,
                                         OLD.title_level);
    END IF;
    IF NEW.status = 'in_service' THEN
        PERFORM jxjy._report_person_move(NEW.id, 1, NEW.district, NEW.industry, NEW.unit,
                                         NEW.title_level);
    END IF;
    -- trainees count whatever their status: only a new key moves them
    IF TG_OP = 'UPDATE' AND (OLD.district, OLD.industry, OLD.unit, OLD.title_level)
                            IS DISTINCT FROM (NEW.district, NEW.industry, NEW.unit, NEW.title_level) THEN
        PERFORM jxjy._report_trainee_move(OLD.id, -1, OLD.district, OLD.industry, OLD.unit,
                                          OLD.title_level);
        PERFORM jxjy._report_trainee_move(NEW.id, 1, NEW.district, NEW.industry, NEW.unit,
                                          NEW.title_level);
    END IF;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
CREATE TRIGGER persons_report_insert AFTER INSERT ON jxjy.persons
    FOR EACH ROW WHEN (NEW.status = 'in_service')
    EXECUTE FUNCTION jxjy._persons_report();
CREATE TRIGGER persons_report_update
    AFTER UPDATE OF status, title_level, unit, district, industry ON jxjy.persons
    FOR EACH ROW
    WHEN ((OLD.status, OLD.title_level, OLD.unit, OLD.district, OLD.industry)
          IS DISTINCT FROM (NEW.status, NEW.title_level, NEW.unit, NEW.district, NEW.industry))
    EXECUTE FUNCTION jxjy._persons_report();

-- Before a summary row's decision changes: lock the person row (FOR SHARE),
-- so that a concurrent title/status/jurisdiction change of the person waits
-- for this transaction (and vice versa).
CREATE FUNCTION jxjy._summary_report_lock() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    PERFORM 1 FROM jxjy.persons p WHERE p.id = NEW.person FOR SHARE;
    PERFORM jxjy._restore(prev);
    RETURN NEW;
END
$$;
CREATE TRIGGER person_year_summary_report_lock_insert BEFORE INSERT ON jxjy.person_year_summary
    FOR EACH ROW EXECUTE FUNCTION jxjy._summary_report_lock();
CREATE TRIGGER person_year_summary_report_lock_update BEFORE UPDATE ON jxjy.person_year_summary
    FOR EACH ROW
    WHEN ((OLD.compliant, OLD.public_verified, OLD.professional_verified, OLD.person, OLD.year)
          IS DISTINCT FROM (NEW.compliant, NEW.public_verified, NEW.professional_verified,
                            NEW.person, NEW.year))
    EXECUTE FUNCTION jxjy._summary_report_lock();

-- A person-year's decision changed: its difference, at the person's current
-- key, if they are in service.
CREATE FUNCTION jxjy._summary_report() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
    p record;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        SELECT pe.status, pe.district, pe.industry, pe.unit, pe.title_level INTO p
          FROM jxjy.persons pe WHERE pe.id = OLD.person;
        IF FOUND AND p.status = 'in_service' THEN
            INSERT INTO jxjy.report_compliance AS c
                   (year, district, industry, unit, title_level, decided, compliant,
                    public_hours, professional_hours)
            VALUES (OLD.year, p.district, p.industry, p.unit, p.title_level, -1,
                    -(OLD.compliant::integer), -OLD.public_verified, -OLD.professional_verified)
            ON CONFLICT (year, district, industry, unit, title_level) DO UPDATE
               SET decided = c.decided + EXCLUDED.decided,
                   compliant = c.compliant + EXCLUDED.compliant,
                   public_hours = c.public_hours + EXCLUDED.public_hours,
                   professional_hours = c.professional_hours + EXCLUDED.professional_hours;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        SELECT pe.status, pe.district, pe.industry, pe.unit, pe.title_level INTO p
          FROM jxjy.persons pe WHERE pe.id = NEW.person;
        IF FOUND AND p.status = 'in_service' THEN
            INSERT INTO jxjy.report_compliance AS c
                   (year, district, industry, unit, title_level, decided, compliant,
                    public_hours, professional_hours)
            VALUES (NEW.year, p.district, p.industry, p.unit, p.title_level, 1,
                    NEW.compliant::integer, NEW.public_verified, NEW.professional_verified)
            ON CONFLICT (year, district, industry, unit, title_level) DO UPDATE
               SET decided = c.decided + EXCLUDED.decided,
                   compliant = c.compliant + EXCLUDED.compliant,
                   public_hours = c.public_hours + EXCLUDED.public_hours,
                   professional_hours = c.professional_hours + EXCLUDED.professional_hours;
        END IF;
    END IF;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
CREATE TRIGGER person_year_summary_report_insert AFTER INSERT ON jxjy.person_year_summary
    FOR EACH ROW EXECUTE FUNCTION jxjy._summary_report();
-- district/industry/unit moves come from persons_moved: _persons_report
-- moves the person's contribution, so they are not counted here
CREATE TRIGGER person_year_summary_report_update
    AFTER UPDATE OF compliant, public_verified, professional_verified, person, year
    ON jxjy.person_year_summary
    FOR EACH ROW
    WHEN ((OLD.compliant, OLD.public_verified, OLD.professional_verified, OLD.person, OLD.year)
          IS DISTINCT FROM (NEW.compliant, NEW.public_verified, NEW.professional_verified,
                            NEW.person, NEW.year))
    EXECUTE FUNCTION jxjy._summary_report();
CREATE TRIGGER person_year_summary_report_delete AFTER DELETE ON jxjy.person_year_summary
    FOR EACH ROW EXECUTE FUNCTION jxjy._summary_report();


-- ---------------------------------------------------------------------------
-- Trainees and funding (R-18, R-20): completed enrolments by the trainee's
-- current key and the base
-- ---------------------------------------------------------------------------
CREATE TABLE jxjy.report_trainees (
    year        integer NOT NULL,
    district    char(6) NOT NULL,
    industry    text NOT NULL,
    unit        uuid NOT NULL,
    title_level jxjy.title_level NOT NULL,
    base        uuid NOT NULL,
    trainees    integer NOT NULL DEFAULT 0,   -- distinct persons
    enrolments  integer NOT NULL DEFAULT 0,   -- completed enrolments
    government  numeric(16,4) NOT NULL DEFAULT 0,
    unit_share  numeric(16,4) NOT NULL DEFAULT 0,
    individual  numeric(16,4) NOT NULL DEFAULT 0,
    PRIMARY KEY (year, district, industry, unit, title_level, base)
);
CREATE INDEX report_trainees_industry ON jxjy.report_trainees (year, industry);
CREATE INDEX report_trainees_unit ON jxjy.report_trainees (year, unit);
CREATE INDEX report_trainees_base ON jxjy.report_trainees (year, base);

-- A person's whole contribution (every year and base), with a sign, at a key.
CREATE FUNCTION jxjy._report_trainee_move(p_person uuid, p_sign integer, p_district char(6),
        p_industry text, p_unit uuid, p_title_level jxjy.title_level)
    RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
    INSERT INTO jxjy.report_trainees AS t
           (year, district, industry, unit, title_level, base, trainees, enrolments,
            government, unit_share, individual)
    SELECT pr.year, p_district, p_industry, p_unit, p_title_level, e.base, p_sign,
           p_sign * count(*), p_sign * sum(pr.fee * pr.funding_government / 100),
           p_sign * sum(pr.fee * pr.funding_unit / 100), p_sign * sum(pr.fee * pr.funding_individual / 100)
      FROM jxjy.enrolments e JOIN jxjy.projects pr ON pr.id = e.project
     WHERE e.person = p_person AND e.status = 'completed'
     GROUP BY pr.year, e.base
    ON CONFLICT (year, district, industry, unit, title_level, base) DO UPDATE
       SET trainees = t.trainees + EXCLUDED.trainees, enrolments = t.enrolments + EXCLUDED.enrolments,
           government = t.government + EXCLUDED.government,
           unit_share = t.unit_share + EXCLUDED.unit_share,
           individual = t.individual + EXCLUDED.individual;
END
$$;

-- An enrolment became (or stopped being) completed.
CREATE FUNCTION jxjy._enrolments_report() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
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
        SELECT pe.district, pe.industry, pe.unit, pe.title_level INTO p
          FROM jxjy.persons pe WHERE pe.id = e.person FOR SHARE;
        SELECT x.year, x.fee, x.funding_government, x.funding_unit, x.funding_individual INTO pr
          FROM jxjy.projects x WHERE x.id = e.project;
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
CREATE TRIGGER enrolments_report_insert AFTER INSERT ON jxjy.enrolments
    FOR EACH ROW WHEN (NEW.status = 'completed')
    EXECUTE FUNCTION jxjy._enrolments_report();
CREATE TRIGGER enrolments_report_update AFTER UPDATE OF status ON jxjy.enrolments
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION jxjy._enrolments_report();
CREATE TRIGGER enrolments_report_delete AFTER DELETE ON jxjy.enrolments
    FOR EACH ROW WHEN (OLD.status = 'completed')
    EXECUTE FUNCTION jxjy._enrolments_report();

-- A project's fee or split changed after completions: the funding follows.
-- Its year or base cannot change once it has completed enrolments.
CREATE FUNCTION jxjy._projects_report() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
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
    SELECT NEW.year, p.district, p.industry, p.unit, p.title_level, e.base, 0, 0,
           count(*) * (NEW.fee * NEW.funding_government - OLD.fee * OLD.funding_government) / 100,
           count(*) * (NEW.fee * NEW.funding_unit - OLD.fee * OLD.funding_unit) / 100,
           count(*) * (NEW.fee * NEW.funding_individual - OLD.fee * OLD.funding_individual) / 100
      FROM jxjy.enrolments e JOIN jxjy.persons p ON p.id = e.person
     WHERE e.project = NEW.id AND e.status = 'completed'
     GROUP BY p.district, p.industry, p.unit, p.title_level, e.base
    ON CONFLICT (year, district, industry, unit, title_level, base) DO UPDATE
       SET government = t.government + EXCLUDED.government,
           unit_share = t.unit_share + EXCLUDED.unit_share,
           individual = t.individual + EXCLUDED.individual;
    PERFORM jxjy._restore(prev);
    RETURN NULL;
END
$$;
CREATE TRIGGER projects_report AFTER UPDATE OF fee, funding_government, funding_unit,
        funding_individual, year, base ON jxjy.projects
    FOR EACH ROW
    WHEN ((OLD.fee, OLD.funding_government, OLD.funding_unit, OLD.funding_individual, OLD.year, OLD.base)
          IS DISTINCT FROM
          (NEW.fee, NEW.funding_government, NEW.funding_unit, NEW.funding_individual, NEW.year, NEW.base))
    EXECUTE FUNCTION jxjy._projects_report();

-- ---------------------------------------------------------------------------
-- Backfill from the existing rows (the migration holds the tables' locks of
-- its transaction; a running system migrates with the gateway stopped)
-- ---------------------------------------------------------------------------
INSERT INTO jxjy.report_hours
       (year, district, industry, unit, base, category, form, class_type, hours, records)
SELECT r.year, r.cur_district, r.cur_industry, r.cur_unit, r.base, r.category, r.form,
       r.class_type, sum(r.hours), count(*)
  FROM jxjy.records r
 WHERE r.status = 'verified'
 GROUP BY r.year, r.cur_district, r.cur_industry, r.cur_unit, r.base, r.category, r.form,
          r.class_type;

INSERT INTO jxjy.report_headcount (district, industry, unit, title_level, headcount)
SELECT p.district, p.industry, p.unit, p.title_level, count(*)
  FROM jxjy.persons p
 WHERE p.status = 'in_service'
 GROUP BY p.district, p.industry, p.unit, p.title_level;

INSERT INTO jxjy.report_compliance
       (year, district, industry, unit, title_level, decided, compliant,
        public_hours, professional_hours)
SELECT s.year, p.district, p.industry, p.unit, p.title_level, count(*),
       count(*) FILTER (WHERE s.compliant), sum(s.public_verified), sum(s.professional_verified)
  FROM jxjy.person_year_summary s
  JOIN jxjy.persons p ON p.id = s.person
 WHERE p.status = 'in_service'
 GROUP BY s.year, p.district, p.industry, p.unit, p.title_level;

INSERT INTO jxjy.report_trainees
       (year, district, industry, unit, title_level, base, trainees, enrolments,
        government, unit_share, individual)
SELECT pr.year, p.district, p.industry, p.unit, p.title_level, e.base, count(DISTINCT e.person),
       count(*), sum(pr.fee * pr.funding_government / 100), sum(pr.fee * pr.funding_unit / 100),
       sum(pr.fee * pr.funding_individual / 100)
  FROM jxjy.enrolments e
  JOIN jxjy.projects pr ON pr.id = e.project
  JOIN jxjy.persons p ON p.id = e.person
 WHERE e.status = 'completed'
 GROUP BY pr.year, p.district, p.industry, p.unit, p.title_level, e.base;

-- ---------------------------------------------------------------------------
-- Row-level security: read by jurisdiction; written only by the elevated
-- triggers (city claim) and the owner
-- ---------------------------------------------------------------------------
ALTER TABLE jxjy.report_hours ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.report_hours FORCE ROW LEVEL SECURITY;
CREATE POLICY report_hours_read ON jxjy.report_hours FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR industry = (SELECT jxjy.claim_industry())
           OR unit = (SELECT jxjy.claim_unit())
           OR base = (SELECT jxjy.claim_base()));
CREATE POLICY report_hours_write ON jxjy.report_hours FOR ALL
    USING ((SELECT jxjy.claim_role()) = 'city_bureau')
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');

ALTER TABLE jxjy.report_headcount ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.report_headcount FORCE ROW LEVEL SECURITY;
CREATE POLICY report_headcount_read ON jxjy.report_headcount FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR industry = (SELECT jxjy.claim_industry())
           OR unit = (SELECT jxjy.claim_unit()));
CREATE POLICY report_headcount_write ON jxjy.report_headcount FOR ALL
    USING ((SELECT jxjy.claim_role()) = 'city_bureau')
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');

ALTER TABLE jxjy.report_trainees ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.report_trainees FORCE ROW LEVEL SECURITY;
CREATE POLICY report_trainees_read ON jxjy.report_trainees FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR industry = (SELECT jxjy.claim_industry())
           OR unit = (SELECT jxjy.claim_unit())
           OR base = (SELECT jxjy.claim_base()));
CREATE POLICY report_trainees_write ON jxjy.report_trainees FOR ALL
    USING ((SELECT jxjy.claim_role()) = 'city_bureau')
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');

ALTER TABLE jxjy.report_compliance ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.report_compliance FORCE ROW LEVEL SECURITY;
CREATE POLICY report_compliance_read ON jxjy.report_compliance FOR SELECT
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR industry = (SELECT jxjy.claim_industry())
           OR unit = (SELECT jxjy.claim_unit()));
CREATE POLICY report_compliance_write ON jxjy.report_compliance FOR ALL
    USING ((SELECT jxjy.claim_role()) = 'city_bureau')
    WITH CHECK ((SELECT jxjy.claim_role()) = 'city_bureau');

-- ---------------------------------------------------------------------------
-- Samples (R-25): what a draw needs besides 0001's columns.
--   population  the population size N the positions were drawn from
--   strata      per stratum {"population": N_s, "size": k_s} (stratified)
--   stratum     each item's stratum key ('' when not stratified)
-- ---------------------------------------------------------------------------
ALTER TABLE jxjy.samples ADD COLUMN population integer CHECK (population >= 0);
ALTER TABLE jxjy.samples ADD COLUMN strata jsonb;
ALTER TABLE jxjy.samples ADD CONSTRAINT samples_stratify
    CHECK (stratify IS NULL OR stratify IN ('district', 'industry'));
ALTER TABLE jxjy.sample_items ADD COLUMN stratum text NOT NULL DEFAULT '';
-- A draw numbers the population of each stratum in id order.  For persons
-- these partial indexes hand it over already in (stratum, id) order and
-- index-only (they carry every column the persons policy reads), so even a
-- city-wide draw is one ordered scan and no sort; persons are written
-- rarely.  Records' policy reads too many columns for that on the biggest
-- table: their indexes narrow a district's or industry's verified records of
-- a year, which are then sorted (in memory: the draw raises work_mem for its
-- transaction).  Unit and base populations are small.
CREATE INDEX persons_sample ON jxjy.persons (id) INCLUDE (district, industry, unit)
    WHERE status = 'in_service';
CREATE INDEX persons_sample_district ON jxjy.persons (district, id) INCLUDE (industry, unit)
    WHERE status = 'in_service';
CREATE INDEX persons_sample_industry ON jxjy.persons (industry, id) INCLUDE (district, unit)
    WHERE status = 'in_service';
CREATE INDEX records_sample_district ON jxjy.records (year, cur_district, id)
    WHERE status = 'verified';
CREATE INDEX records_sample_industry ON jxjy.records (year, cur_industry, id) INCLUDE (category)
    WHERE status = 'verified';

-- ---------------------------------------------------------------------------
-- Privileges
-- ---------------------------------------------------------------------------
GRANT SELECT ON jxjy.report_hours, jxjy.report_headcount, jxjy.report_compliance,
                jxjy.report_trainees TO jxjy_app;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA jxjy FROM PUBLIC;

SELECT pg_catalog.set_config('jxjy.claims', '', true);
