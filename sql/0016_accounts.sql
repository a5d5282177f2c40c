-- Accounts that can be disabled, their passwords changed and their client
-- secrets rotated (issue 11, API.md "Accounts and abuse"), and their tokens
-- refused on every gateway worker within a second (issue 10's constraint).
--
-- A token carries its account's id as `sub` and the second it was issued as
-- `iat`.  accounts.tokens_after is the instant before which the account's
-- tokens are refused: a password change, a secret rotation and a disabling
-- set it to now() (so that the tokens of before a disabling stay refused
-- after the account is enabled again); a disabled account's tokens are all
-- refused.  The gateway keeps each account's state in each worker
-- (api/auth/keytab.c) and polls jxjy.account_states_since every 250 ms with
-- the revocations (api/http/revocations.c): one statement more in the same
-- round trip, no query per request.
--
-- Tokens are compared by the second: a token issued in the same second as
-- the change (iat = floor(tokens_after)) is kept, so that a login right
-- after a password change gives a token that works.

ALTER TABLE jxjy.accounts
    ADD COLUMN tokens_after timestamptz,
    ADD COLUMN state_seq bigint,
    ADD COLUMN state_at timestamptz;

CREATE SEQUENCE jxjy.account_state_seq;
CREATE UNIQUE INDEX accounts_state_seq ON jxjy.accounts (state_seq);
CREATE INDEX accounts_state_at ON jxjy.accounts (state_at);

-- A change of what a token stands for (disabled, password or secret, role,
-- jurisdiction) numbers the account's state anew; one that ends the
-- account's earlier tokens (all of them but enabling) moves tokens_after.
-- SECURITY DEFINER for the sequence (the gateway's role has no right to it).
CREATE FUNCTION jxjy._account_state() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
BEGIN
    IF NEW.disabled IS DISTINCT FROM OLD.disabled
       OR NEW.password_hash IS DISTINCT FROM OLD.password_hash
       OR NEW.role IS DISTINCT FROM OLD.role
       OR NEW.kind IS DISTINCT FROM OLD.kind
       OR num_nonnulls(NEW.district IS DISTINCT FROM OLD.district OR NULL,
                       NEW.industry IS DISTINCT FROM OLD.industry OR NULL,
                       NEW.unit IS DISTINCT FROM OLD.unit OR NULL,
                       NEW.base IS DISTINCT FROM OLD.base OR NULL,
                       NEW.person IS DISTINCT FROM OLD.person OR NULL) > 0 THEN
        NEW.state_seq := nextval('jxjy.account_state_seq');
        NEW.state_at := now();
        IF NOT (OLD.disabled AND NOT NEW.disabled) THEN
            NEW.tokens_after := now();
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER accounts_state BEFORE UPDATE ON jxjy.accounts
    FOR EACH ROW EXECUTE FUNCTION jxjy._account_state();

-- The account states numbered after p_seq (0: all), and those of the last
-- minute again (a transaction that took a number may commit after one that
-- took a later number and was polled already; the gateway overwrites a known
-- account with the same state): seq, account, disabled, tokens_after as Unix
-- seconds (0: none).
CREATE FUNCTION jxjy.account_states_since(p_seq bigint)
    RETURNS TABLE (seq bigint, account uuid, disabled boolean, tokens_after bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
    SELECT a.state_seq, a.id, a.disabled,
           coalesce(floor(extract(epoch FROM a.tokens_after))::bigint, 0)
      FROM jxjy.accounts a
     WHERE a.state_seq > p_seq OR a.state_at > now() - interval '1 minute'
     ORDER BY a.state_seq
    $$;

-- Whether a token (sub, iat) is refused by its account's state: the check of
-- jxjy.set_claims, for a worker that has not loaded the states yet and for
-- jxjyctl.  A sub that names no account (jxjyctl's tokens) is not refused.
CREATE FUNCTION jxjy.token_account_refused(p_sub text, p_iat bigint) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    v_id uuid := jxjy._uuid_or_null(p_sub);
BEGIN
    RETURN v_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM jxjy.accounts a
         WHERE a.id OPERATOR(pg_catalog.=) v_id
           AND (a.disabled
                OR coalesce(p_iat, 0) < floor(extract(epoch FROM a.tokens_after))));
END
$$;

-- 0008's set_claims, and the account's state checked as well as the jti
CREATE OR REPLACE FUNCTION jxjy.set_claims(p_claims jsonb) RETURNS void
    LANGUAGE plpgsql VOLATILE
    AS $$
BEGIN
    IF p_claims IS NULL OR pg_catalog.jsonb_typeof(p_claims) <> 'object'
       OR NOT (p_claims ->> 'role') = ANY (pg_catalog.enum_range(NULL::jxjy.role)::text[]) THEN
        RAISE EXCEPTION 'invalid claims' USING ERRCODE = '22023';
    END IF;
    IF jxjy.token_revoked(p_claims ->> 'jti') THEN
        RAISE EXCEPTION 'token revoked' USING ERRCODE = 'JX401';
    END IF;
    IF p_claims ? 'iat' AND jxjy.token_account_refused(p_claims ->> 'sub',
                                                      (p_claims ->> 'iat')::bigint) THEN
        RAISE EXCEPTION 'token revoked' USING ERRCODE = 'JX401';
    END IF;
    PERFORM jxjy._put_claims(p_claims);
END
$$;

-- A password changed by the account itself (a user: a client's secret is
-- rotated by whoever may create the account): compare-and-set on
-- the hash the gateway verified the old password against (a concurrent
-- change in between makes this false), audited.  The policy accounts_update
-- is for those who may create the account; one's own row is changed only
-- here, and only its hash.
CREATE FUNCTION jxjy.account_own_hash() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
    SELECT a.password_hash FROM jxjy.accounts a
     WHERE a.id OPERATOR(pg_catalog.=) jxjy.claim_sub_id() AND NOT a.disabled
       AND a.kind OPERATOR(pg_catalog.=) 'user'
    $$;

CREATE FUNCTION jxjy.account_set_own_password(p_old_hash text, p_new_hash text)
    RETURNS boolean
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    a jxjy.accounts;
BEGIN
    UPDATE jxjy.accounts x SET password_hash = p_new_hash
     WHERE x.id OPERATOR(pg_catalog.=) jxjy.claim_sub_id()
       AND x.password_hash OPERATOR(pg_catalog.=) p_old_hash AND NOT x.disabled
       AND x.kind OPERATOR(pg_catalog.=) 'user'
    RETURNING * INTO a;
    IF a.id IS NULL THEN
        RETURN false;
    END IF;
    PERFORM jxjy.audit('password', 'account', a.id::text, NULL,
                       jsonb_build_object('by', 'self'), a.district);
    RETURN true;
END
$$;

REVOKE EXECUTE ON FUNCTION jxjy._account_state(), jxjy.account_states_since(bigint),
    jxjy.token_account_refused(text, bigint), jxjy.account_own_hash(),
    jxjy.account_set_own_password(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION jxjy.account_states_since(bigint),
    jxjy.token_account_refused(text, bigint), jxjy.account_own_hash(),
    jxjy.account_set_own_password(text, text) TO jxjy_app;
