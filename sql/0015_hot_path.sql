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
