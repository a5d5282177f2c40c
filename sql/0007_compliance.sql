-- 0007_compliance.sql — the cursor of `jxjyctl recompute` (api/recompute.c).
--
-- A recompute re-decides, with core, every person-year that has records
-- (optionally of one year and/or one industry), persons in id order, in
-- batches of one transaction each.  Each batch stores its decisions and
-- moves the run's cursor (the last person done) in the same transaction, so
-- an interrupted run resumes exactly after the last committed batch: running
-- the same command again (same filters) continues it; --restart abandons it
-- and starts over.  Only the owner (jxjyctl) uses this table: the gateway
-- role has no privilege on it, so it carries no persons' data to protect.

CREATE TABLE jxjy.recompute_runs (
    id           bigserial PRIMARY KEY,
    year         integer CHECK (year BETWEEN 1990 AND 2100),    -- NULL: every year
    industry     text REFERENCES jxjy.industries (code),        -- NULL: every industry
    cursor       uuid,                                          -- last person done
    persons      bigint NOT NULL DEFAULT 0,
    person_years bigint NOT NULL DEFAULT 0,
    skipped      bigint NOT NULL DEFAULT 0,   -- person-years no rule set decides
    abandoned    boolean NOT NULL DEFAULT false,
    started_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz
);
CREATE INDEX recompute_runs_open ON jxjy.recompute_runs (id) WHERE finished_at IS NULL;
REVOKE ALL ON jxjy.recompute_runs FROM PUBLIC;
