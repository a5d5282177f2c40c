-- Logins that tell nothing and never lock the owner out for long (API.md
-- "Accounts and abuse (second wave)"; issue 11, "Logins").
--
-- Failures are counted per login and per client address in auth_throttle.
-- jxjy.auth_begin() takes the count in one statement BEFORE the password is
-- checked (the rows are locked, so a burst of N concurrent attempts counts N),
-- whether the login exists or not; jxjy.auth_finish() settles it after the
-- check (a success takes its provisional failure back) and writes the audit
-- row in the same transaction.  auth_lookup()/auth_note() of 0001 are no
-- longer called by the gateway.

CREATE TABLE jxjy.auth_throttle (
    key           text PRIMARY KEY,          -- 'login:<login>' or 'addr:<client address>'
    failures      integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    last_failure  timestamptz,
    blocked_until timestamptz
);
CREATE INDEX auth_throttle_last_failure ON jxjy.auth_throttle (last_failure);
-- no persons' data, no policy: reached only through auth_begin/auth_finish
-- (SECURITY DEFINER); jxjy_app has no privilege on it
ALTER TABLE jxjy.auth_throttle ENABLE ROW LEVEL SECURITY;
ALTER TABLE jxjy.auth_throttle FORCE ROW LEVEL SECURITY;
CREATE POLICY auth_throttle_system ON jxjy.auth_throttle FOR ALL
    USING ((SELECT jxjy.claim_sub()) = 'system')
    WITH CHECK ((SELECT jxjy.claim_sub()) = 'system');

-- Counts one attempt against a key (its row locked until the caller's
-- transaction ends).  A count restarts after an hour without failures.  From
-- the p_free-th failure on, each failure blocks the key for 1 s, 2 s, 4 s, …
-- at most p_lock_s seconds.  Returns the key's seconds still blocked (0:
-- the attempt was counted and may go on); a blocked attempt is not counted.
CREATE FUNCTION jxjy._auth_count(p_key text, p_free integer, p_lock_s integer)
    RETURNS integer
    LANGUAGE plpgsql VOLATILE
    AS $$
DECLARE
    t jxjy.auth_throttle;
BEGIN
    INSERT INTO jxjy.auth_throttle (key) VALUES (p_key) ON CONFLICT (key) DO NOTHING;
    SELECT * INTO t FROM jxjy.auth_throttle WHERE key = p_key FOR UPDATE;
    IF t.blocked_until > now() THEN
        RETURN ceil(extract(epoch FROM t.blocked_until - now()))::integer;
    END IF;
    IF t.last_failure IS NULL OR t.last_failure < now() - interval '1 hour' THEN
        t.failures := 0;
    END IF;
    t.failures := t.failures + 1;
    UPDATE jxjy.auth_throttle
       SET failures = t.failures, last_failure = now(),
           blocked_until = CASE WHEN t.failures >= p_free
               THEN now() + least(power(2, least(t.failures - p_free, 20)), p_lock_s)
                            * interval '1 second' END
     WHERE key = p_key;
    RETURN 0;
END
$$;

-- Before the password is checked: counts the attempt per login and per
-- address, and returns the account of that login and kind (none for an
-- unknown login) with retry_after, the seconds the caller must wait (> 0:
-- answer 429 without checking anything, whether the login exists or not).
-- p_free / p_addr_free: failures allowed before the delays start, per login
-- and per address; p_lock_s: the longest delay (15 min at most).
CREATE FUNCTION jxjy.auth_begin(p_login text, p_kind text, p_addr text, p_free integer,
                                p_addr_free integer, p_lock_s integer)
    RETURNS TABLE (account_id uuid, password_hash text, role jxjy.role,
                   district char(6), industry text, unit uuid, base uuid, person uuid,
                   disabled boolean, retry_after integer)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
#variable_conflict use_column
DECLARE
    prev text := jxjy._elevate();
    wait_login integer;
    wait_addr integer := 0;
    manual timestamptz;
    lock_s integer := least(greatest(p_lock_s, 1), 900);
BEGIN
    -- always the login's row first, then the address's: no deadlock
    wait_login := jxjy._auth_count('login:' || p_login, p_free, lock_s);
    IF wait_login = 0 THEN
        wait_addr := jxjy._auth_count('addr:' || p_addr, p_addr_free, lock_s);
        IF wait_addr > 0 THEN
            -- refused for its address: this attempt does not count against the login
            UPDATE jxjy.auth_throttle SET failures = greatest(failures - 1, 0)
             WHERE key = 'login:' || p_login;
        END IF;
    END IF;
    -- locked_until mirrors the login's block (an operator may also set it)
    SELECT a.locked_until INTO manual FROM jxjy.accounts a WHERE a.login = p_login;
    UPDATE jxjy.accounts a SET locked_until = t.blocked_until
      FROM jxjy.auth_throttle t
     WHERE a.login = p_login AND t.key = 'login:' || p_login
       AND t.blocked_until IS DISTINCT FROM a.locked_until
       AND (a.locked_until IS NULL OR a.locked_until < t.blocked_until);
    IF manual > now() THEN
        wait_login := greatest(wait_login, ceil(extract(epoch FROM manual - now()))::integer);
    END IF;
    RETURN QUERY
    SELECT a.id, a.password_hash, a.role, a.district, a.industry, a.unit, a.base, a.person,
           a.disabled, greatest(wait_login, wait_addr)
      FROM (SELECT 1) one
      LEFT JOIN jxjy.accounts a ON a.login = p_login AND a.kind::text = p_kind;
    PERFORM jxjy._restore(prev);
END
$$;

-- After the check: a success clears the login's count and takes its
-- provisional failure back from the address; either way one audit row
-- (action login or login_failed, entity account, the account's id or NULL
-- for an unknown login, after = {login, kind, address}; never the password),
-- in this same transaction.  The actor is the account on a success,
-- "anonymous" on a failure (nobody was authenticated).
CREATE FUNCTION jxjy.auth_finish(p_login text, p_kind text, p_addr text, p_ok boolean,
                                 p_addr_free integer, p_request_id text)
    RETURNS void
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
    a jxjy.accounts;
BEGIN
    SELECT * INTO a FROM jxjy.accounts WHERE login = p_login AND kind::text = p_kind;
    IF p_ok THEN
        UPDATE jxjy.auth_throttle SET failures = 0, last_failure = NULL, blocked_until = NULL
         WHERE key = 'login:' || p_login;
        UPDATE jxjy.auth_throttle
           SET failures = greatest(failures - 1, 0),
               blocked_until = CASE WHEN failures - 1 < p_addr_free THEN NULL ELSE blocked_until END
         WHERE key = 'addr:' || p_addr;
        UPDATE jxjy.accounts SET locked_until = NULL WHERE id = a.id AND locked_until IS NOT NULL;
    END IF;
    PERFORM jxjy._put_claims(jsonb_build_object(
        'role', CASE WHEN p_ok THEN a.role::text ELSE 'anonymous' END,
        'sub', CASE WHEN p_ok THEN a.id::text ELSE 'anonymous' END,
        'request_id', p_request_id));
    INSERT INTO jxjy.audit_log (action, entity, entity_id, after, district)
    VALUES (CASE WHEN p_ok THEN 'login' ELSE 'login_failed' END, 'account', a.id::text,
            jsonb_build_object('login', p_login, 'kind', p_kind, 'address', p_addr),
            a.district);
    PERFORM jxjy._restore(prev);
END
$$;

-- Housekeeping (prune_expired of 0001 is not redefined; jxjyctl prune may
-- call this): rows of keys without a failure for a day.
CREATE FUNCTION jxjy.auth_throttle_prune() RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
    n bigint;
BEGIN
    DELETE FROM jxjy.auth_throttle
     WHERE (last_failure IS NULL OR last_failure < now() - interval '1 day')
       AND (blocked_until IS NULL OR blocked_until < now());
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM jxjy._restore(prev);
    RETURN n;
END
$$;

REVOKE EXECUTE ON FUNCTION jxjy._auth_count(text, integer, integer),
    jxjy.auth_begin(text, text, text, integer, integer, integer),
    jxjy.auth_finish(text, text, text, boolean, integer, text),
    jxjy.auth_throttle_prune() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.auth_begin(text, text, text, integer, integer, integer),
    jxjy.auth_finish(text, text, text, boolean, integer, text) TO jxjy_app;

-- ---------------------------------------------------------------------------
-- jxjyctl prune (0010's prune_expired) also clears the throttle rows that no
-- longer hold anything: one kind more, the same shape.
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
    PERFORM jxjy._restore(prev);
    kind := 'auth_throttle'; pruned := jxjy.auth_throttle_prune(); RETURN NEXT;
END
$$;
REVOKE EXECUTE ON FUNCTION jxjy.prune_expired() FROM PUBLIC;
