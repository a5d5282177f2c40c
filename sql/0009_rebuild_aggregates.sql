-- 0009_rebuild_aggregates.sql — jxjy.rebuild_report_aggregates(): the
-- report aggregates of 0006 (report_hours, report_headcount,
-- report_compliance, report_trainees) recomputed from their source rows in
-- bulk, with the same statements as 0006's backfill.
--
-- The triggers of 0006 keep the aggregates exact row by row; they cannot
-- help when rows arrive with triggers disabled (a bulk load as the superuser
-- with session_replication_role = replica, e.g. tests/bench/cityscale at 1.5
-- million persons and 30 million records, or a restore of a partial dump),
-- and a per-row trigger would be far too slow at that scale anyway.  After
-- such a load: first the denormalised columns and person_year_summary (core's
-- decisions: `jxjyctl recompute`), then this function.
--
-- It takes SHARE locks on the source tables (no concurrent writer changes
-- them while it reads) and ACCESS EXCLUSIVE on the aggregates, empties them
-- (TRUNCATE) and refills them, all in the caller's transaction: a concurrent
-- report waits for the commit and then reads the new figures.  Meant for
-- maintenance windows (the gateway stopped, like migrations).  Owner only
-- (no EXECUTE for jxjy_app); returns the row counts it wrote.

SELECT jxjy._put_claims('{"role": "city_bureau", "sub": "migration:0009"}');  -- 0008: claims are set through _put_claims

CREATE FUNCTION jxjy.rebuild_report_aggregates(
        OUT hours_rows bigint, OUT headcount_rows bigint,
        OUT compliance_rows bigint, OUT trainees_rows bigint)
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();   -- every row visible, the aggregates' write policy passes
BEGIN
    LOCK TABLE jxjy.records, jxjy.persons, jxjy.person_year_summary, jxjy.enrolments,
               jxjy.projects IN SHARE MODE;
    LOCK TABLE jxjy.report_hours, jxjy.report_headcount, jxjy.report_compliance,
               jxjy.report_trainees IN ACCESS EXCLUSIVE MODE;
    TRUNCATE jxjy.report_hours, jxjy.report_headcount, jxjy.report_compliance,
             jxjy.report_trainees;

    -- the statements of 0006's backfill, with an ORDER BY: a year's rows
    -- end up together in the heap, as the triggers leave them (a new year's
    -- rows are appended), so a report of one year reads a year's pages
    -- instead of rows scattered over the whole table
    INSERT INTO jxjy.report_hours
           (year, district, industry, unit, base, category, form, class_type, hours, records)
    SELECT r.year, r.cur_district, r.cur_industry, r.cur_unit, r.base, r.category, r.form,
           r.class_type, sum(r.hours), count(*)
      FROM jxjy.records r
     WHERE r.status = 'verified'
     GROUP BY r.year, r.cur_district, r.cur_industry, r.cur_unit, r.base, r.category, r.form,
              r.class_type
     ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS hours_rows = ROW_COUNT;

    INSERT INTO jxjy.report_headcount (district, industry, unit, title_level, headcount)
    SELECT p.district, p.industry, p.unit, p.title_level, count(*)
      FROM jxjy.persons p
     WHERE p.status = 'in_service'
     GROUP BY p.district, p.industry, p.unit, p.title_level;
    GET DIAGNOSTICS headcount_rows = ROW_COUNT;

    INSERT INTO jxjy.report_compliance
           (year, district, industry, unit, title_level, decided, compliant,
            public_hours, professional_hours)
    SELECT s.year, p.district, p.industry, p.unit, p.title_level, count(*),
           count(*) FILTER (WHERE s.compliant), sum(s.public_verified), sum(s.professional_verified)
      FROM jxjy.person_year_summary s
      JOIN jxjy.persons p ON p.id = s.person
     WHERE p.status = 'in_service'
     GROUP BY s.year, p.district, p.industry, p.unit, p.title_level
     ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS compliance_rows = ROW_COUNT;

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
     GROUP BY pr.year, p.district, p.industry, p.unit, p.title_level, e.base
     ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS trainees_rows = ROW_COUNT;

    PERFORM jxjy._restore(prev);
END
$$;
REVOKE EXECUTE ON FUNCTION jxjy.rebuild_report_aggregates() FROM PUBLIC;

SELECT jxjy._put_claims(NULL);
