-- The hot path (issue 10): revocations pushed to the gateway instead of
-- queried by every request.
--
-- Until now every authenticated request began with SELECT
-- jxjy.set_claims($1): three PL/pgSQL calls, an EXISTS on revoked_tokens and
-- four set_config — about 70 µs of PostgreSQL CPU, more than the
-- compliance read itself.  The gateway now keeps the revoked jtis in each
-- worker (api/auth/revoked.c), loads them all when it starts and polls this
-- function every 250 ms for the new ones (a single statement: it works
-- behind PgBouncer in transaction mode, where LISTEN does not), so that a
-- revoked token is refused on every worker within a second.  The request's
-- claims are then set by one plain statement of four set_config (db
-- statement CLAIMS); jxjy.set_claims stays for jxjyctl, the jobs and a
-- worker whose first load has not answered yet.
--
-- seq numbers the revocations in insertion order.  A transaction that took
-- a number may commit after one that took a later number and was already
-- polled: the function therefore also answers every revocation of the last
-- minute again (a revocation commits within a statement's time: jxjyctl
-- revoke inserts one row), and the gateway adds a known jti as a no-op.

ALTER TABLE jxjy.revoked_tokens ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;
CREATE UNIQUE INDEX revoked_tokens_seq ON jxjy.revoked_tokens (seq);
CREATE INDEX revoked_tokens_revoked_at ON jxjy.revoked_tokens (revoked_at);

-- The revocations after p_seq (0: all), and those of the last minute, that
-- have not expired: seq, jti, expiry as Unix seconds.
CREATE FUNCTION jxjy.revocations_since(p_seq bigint)
    RETURNS TABLE (seq bigint, jti text, expires_at bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
    SELECT t.seq, t.jti, extract(epoch FROM t.expires_at)::bigint
      FROM jxjy.revoked_tokens t
     WHERE (t.seq > p_seq OR t.revoked_at > now() - interval '1 minute')
       AND t.expires_at > now()
     ORDER BY t.seq
    $$;
REVOKE EXECUTE ON FUNCTION jxjy.revocations_since(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.revocations_since(bigint) TO jxjy_app;

-- ---------------------------------------------------------------------------
-- "Has the person a change after registration?" as a column of persons.
--
-- The compliance and eligibility reads consult the history only for such a
-- person (sql/0012: one with the registration alone holds the persons row's
-- situation on every day).  The question was jxjy.person_changed(uuid)
-- (sql/0014), an SQL function: PostgreSQL plans a non-inlined SQL
-- function's body on every call, with the row-level security of
-- person_changes (whose policy reads persons, whose policy reads
-- enrolments) — ~0.3–0.7 ms per call, and the eligibility read called it
-- once per year without a stored decision: 1.3 ms of PostgreSQL CPU per
-- eligibility request, measured with pgbench.  The answer is now kept where
-- it is read: persons.changed, set by the trigger that already applies every
-- change to the persons row (in the same transaction), read as a column.
ALTER TABLE jxjy.persons ADD COLUMN changed boolean NOT NULL DEFAULT false;

-- the persons who have a change already (as the city: the table's policies
-- are forced; the persons triggers stay out of a column they do not read)
DO $$
DECLARE
    prev text := jxjy._elevate();
BEGIN
    ALTER TABLE jxjy.persons DISABLE TRIGGER USER;
    UPDATE jxjy.persons p SET changed = true
     WHERE EXISTS (SELECT 1 FROM jxjy.person_changes c
                    WHERE c.person = p.id AND c.kind <> 'register');
    ALTER TABLE jxjy.persons ENABLE TRIGGER USER;
    PERFORM jxjy._restore(prev);
END $$;

-- sql/0012's body, with persons.changed set (also when the change leaves
-- today's situation as it was: a change dated in the future or the past)
CREATE OR REPLACE FUNCTION jxjy._person_changes_after() RETURNS trigger
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
       SET title_level = s.title_level, industry = s.industry, unit = s.unit, status = s.status,
           changed = true
     WHERE p.id = NEW.person
       AND ((p.title_level, p.industry, p.unit, p.status)
            IS DISTINCT FROM (s.title_level, s.industry, s.unit, s.status) OR NOT p.changed);
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

-- no caller is left (db/stmts/compliance.def reads p.changed)
DROP FUNCTION jxjy.person_changed(uuid);


-- ---------------------------------------------------------------------------
-- persons_read: a training base sees the persons enrolled in its projects.
-- As 0001 wrote it, that part was a sub-select of enrolments carrying
-- enrolments' own policy (five init plans) inside the plan of every read of
-- persons — and of every policy that asks whether a person is visible
-- (cycle assessments, the history, …) — set up on each execution for every
-- role, though only a base's claims can make it true.  Now the sub-select
-- reads a PL/pgSQL function: the same rows (the caller's own enrolments,
-- still under enrolments' row-level security: SECURITY INVOKER, the claims
-- are the caller's), one function scan in the outer plan, its query planned
-- once per session; still a hashed sub-plan run once per statement, so a
-- base's list of its trainees scans as before.  Measured with pgbench (the
-- eligibility read's cycle assessments): 46 → 36 µs of PostgreSQL CPU.
CREATE FUNCTION jxjy.base_trainees() RETURNS SETOF uuid
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
    RETURN QUERY SELECT e.person FROM jxjy.enrolments e
                  WHERE e.base OPERATOR(pg_catalog.=) jxjy.claim_base();
END
$$;
REVOKE EXECUTE ON FUNCTION jxjy.base_trainees() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.base_trainees() TO jxjy_app;

ALTER POLICY persons_read ON jxjy.persons
    USING ((SELECT jxjy.claim_role()) = 'city_bureau'
           OR district = (SELECT jxjy.claim_district())
           OR industry = (SELECT jxjy.claim_industry())
           OR unit = (SELECT jxjy.claim_unit())
           OR id = (SELECT jxjy.claim_person())
           OR id IN (SELECT jxjy.base_trainees()));
