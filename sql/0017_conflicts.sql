-- Existence probes (issue 11; API.md, "Accounts and abuse"): a registration
-- refused because its national_id is already registered somewhere in the
-- city (POST /v1/persons, PATCH /v1/persons/{id}, rows of POST
-- /v1/persons:import) is written to the audit log as action 'conflict',
-- and an account with more than JXJY_CONFLICTS_PER_DAY such refusals in
-- 24 h gets 429 on creates and imports of persons until the window passes.
--
-- The refusal itself is rolled back (409/422 change nothing); the gateway
-- writes its audit row and its count row in a second, short transaction of
-- its own in the same round trip as the ROLLBACK (api_after_rollback,
-- api/http/reply.c; db statement PERSONS_AUDIT_CONFLICT), so the chain's
-- global lock is held for one row, not for a request.  An import writes ONE
-- of each per request however many of its rows are taken.
--
-- The count: one row per refusal here, by account (the token's sub) and
-- time.  The gateway's check — "is there an (N+1)-th newest refusal inside
-- the last 24 h, and when does it leave?" — is one backward index-only scan
-- that reads at most N+1 entries (PERSONS_CONFLICTS_WAIT), sent in the same
-- round trip as the create's or the import's other checks.  Measured
-- against deriving the count from the audit rows (a partial index on
-- audit_log (actor, at) WHERE action = 'conflict' and a policy letting an
-- account read its own conflict rows), 220 000 audit rows, 1 client, per
-- statement beyond BEGIN + claims + COMMIT: the check of an account without
-- refusals 0.08 ms here / 0.14 ms from the audit log, of one with 100 in
-- the window 0.11 / 0.30 ms (the audit log's row-level security needs every
-- row's heap tuple, this table's is answered from the index); a refusal
-- costs one insert more (+0.18 ms).  Every create and import pays the
-- check, only refusals pay the insert, and the audit log's read policy
-- stays as it was.
CREATE TABLE jxjy.conflict_refusals (
    account text NOT NULL DEFAULT jxjy.claim_sub(),
    at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conflict_refusals_account_at ON jxjy.conflict_refusals (account, at);

-- An account reads and adds its own rows only (nobody can fill another's
-- count and so lock it out); housekeeping (elevated, sub "system") removes
-- those that have left the window.
ALTER TABLE jxjy.conflict_refusals ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.conflict_refusals FORCE ROW LEVEL SECURITY;
CREATE POLICY conflict_refusals_own ON jxjy.conflict_refusals FOR SELECT
    USING (account = (SELECT jxjy.claim_sub()));
CREATE POLICY conflict_refusals_add ON jxjy.conflict_refusals FOR INSERT
    WITH CHECK (account = (SELECT jxjy.claim_sub()));
CREATE POLICY conflict_refusals_expired_read ON jxjy.conflict_refusals FOR SELECT
    USING ((SELECT jxjy.claim_sub()) = 'system' AND at < now() - interval '24 hours');
CREATE POLICY conflict_refusals_expired_delete ON jxjy.conflict_refusals FOR DELETE
    USING ((SELECT jxjy.claim_sub()) = 'system' AND at < now() - interval '24 hours');
GRANT SELECT, INSERT ON jxjy.conflict_refusals TO jxjy_app;

-- ---------------------------------------------------------------------------
-- jxjyctl prune (0011's prune_expired) also removes the refusals that have
-- left the 24 h window: one kind more, the same shape.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION jxjy.prune_expired() RETURNS TABLE (kind text, pruned bigint)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
    n bigint;
BEGIN
    DELETE FROM jxjy.revoked_tokens t WHERE t.expires_at < now();
    GET DIAGNOSTICS n = ROW_COUNT;
    kind := 'revoked_tokens'; pruned := n; RETURN NEXT;
    DELETE FROM jxjy.idempotency_keys k WHERE k.created_at < now() - interval '24 hours';
    GET DIAGNOSTICS n = ROW_COUNT;
    kind := 'idempotency_keys'; pruned := n; RETURN NEXT;
    DELETE FROM jxjy.auth_attempts a WHERE a.at < now() - interval '1 day';
    GET DIAGNOSTICS n = ROW_COUNT;
    kind := 'auth_attempts'; pruned := n; RETURN NEXT;
    DELETE FROM jxjy.conflict_refusals c WHERE c.at < now() - interval '24 hours';
    GET DIAGNOSTICS n = ROW_COUNT;
    kind := 'conflict_refusals'; pruned := n; RETURN NEXT;
    PERFORM jxjy._restore(prev);
    kind := 'auth_throttle'; pruned := jxjy.auth_throttle_prune(); RETURN NEXT;
END
$$;
REVOKE EXECUTE ON FUNCTION jxjy.prune_expired() FROM PUBLIC;
