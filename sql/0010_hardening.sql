-- 0010: hardening (issue 11, the last "Why" findings).
--
--   * projects: a status change must be a legal transition made by the role
--     that may make it (a base could UPDATE its own project to 'approved');
--   * token_revoked: SECURITY DEFINER again with a fixed search_path (0008
--     dropped the SET clause for speed);
--   * audit_verify: the last row must be the chain head (a deleted tail went
--     unnoticed);
--   * prune_expired: answers what it removed, per kind, for `jxjyctl prune`.

-- ---------------------------------------------------------------------------
-- Projects: the status moves as core_project_transition (core/core_state.c,
-- project_next) allows — draft → submitted, submitted → approved | rejected,
-- nothing out of approved or rejected — and only by whom the permission
-- matrix names (API.md: "projects: create / submit" the base itself,
-- "projects: approve / reject" a bureau; which bureau, row-level security's
-- projects_update says).  Records do the same: _records_guard refuses an
-- illegal step (JX409) whoever writes, the policies decide who.  The
-- gateway's transition path (PROJECTS_SET_STATUS after core decided) meets
-- both by construction, so it needs no bypass; without claims (the owner:
-- migrations, fixtures, repairs) only legality applies.  A new project
-- starts as a draft when claims are set (a base could INSERT it approved).
-- The legality table mirrors core's; core stays the decision for the API
-- (409 with its wording before any UPDATE), this is the floor under it.
-- ---------------------------------------------------------------------------
CREATE FUNCTION jxjy._projects_guard() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
    r text := jxjy.claim_role();
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF r IS NOT NULL AND NEW.status <> 'draft' THEN
            RAISE EXCEPTION 'a project starts as a draft, not %', NEW.status
                USING ERRCODE = '42501';
        END IF;
        RETURN NEW;
    END IF;
    IF NEW.status IS NOT DISTINCT FROM OLD.status THEN
        RETURN NEW;
    END IF;
    IF NOT ((OLD.status = 'draft' AND NEW.status = 'submitted')
            OR (OLD.status = 'submitted' AND NEW.status IN ('approved', 'rejected'))) THEN
        RAISE EXCEPTION 'project is %: it cannot become %', OLD.status, NEW.status
            USING ERRCODE = 'JX409';
    END IF;
    IF r IS NOT NULL
       AND ((NEW.status = 'submitted' AND r <> 'base')
            OR (NEW.status <> 'submitted' AND r NOT IN ('city_bureau', 'district_bureau'))) THEN
        RAISE EXCEPTION 'a base submits its projects, a bureau approves or rejects them (% refused)',
                        NEW.status USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER projects_guard BEFORE INSERT OR UPDATE OF status ON jxjy.projects
    FOR EACH ROW EXECUTE FUNCTION jxjy._projects_guard();
REVOKE EXECUTE ON FUNCTION jxjy._projects_guard() FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- token_revoked: 0008's body, with the SET clause back.  A SECURITY DEFINER
-- function runs with the owner's rights; without a fixed search_path the
-- caller's (pg_temp first for relations, any schema it can create in) is
-- what the function resolves names against.  Every name here is qualified
-- already; the SET clause makes that a property of the catalog, checked by
-- sql/checks/a2_catalog.sql for every definer function.  Cost: one
-- configuration save and restore per call (once per request); the plan
-- stays cached (PL/pgSQL).
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION jxjy.token_revoked(p_jti text) RETURNS boolean
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
BEGIN
    RETURN p_jti IS NOT NULL
       AND EXISTS (SELECT 1 FROM jxjy.revoked_tokens t WHERE t.jti OPERATOR(pg_catalog.=) p_jti);
END
$$;

-- ---------------------------------------------------------------------------
-- audit_verify: besides each row's hash and link, the newest row must be the
-- one audit_chain_head names (id and hash: _audit_chain writes the head in
-- the inserting transaction).  A deleted tail (or a deleted log) leaves the
-- head pointing at a row that is gone: the answer is the head's id.  The
-- head and the newest row are read in one statement (one snapshot), so a
-- concurrent writer is seen in both or in neither.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION jxjy.audit_verify() RETURNS bigint
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER
    SET search_path = pg_catalog, jxjy
    AS $$
DECLARE
    prev text := jxjy._elevate();
    first_broken bigint;
BEGIN
    SELECT min(id) INTO first_broken FROM (
        SELECT a.id,
               a.prev_hash IS DISTINCT FROM lag(a.hash) OVER (ORDER BY a.id)
               OR a.hash IS DISTINCT FROM jxjy.audit_digest(a.prev_hash, a) AS broken
          FROM jxjy.audit_log a) t
     WHERE broken;
    IF first_broken IS NULL THEN
        SELECT coalesce(h.last_id, l.id) INTO first_broken
          FROM jxjy.audit_chain_head h
          LEFT JOIN LATERAL (SELECT a.id, a.hash FROM jxjy.audit_log a
                              ORDER BY a.id DESC LIMIT 1) l ON true
         WHERE h.singleton
           AND (l.id, l.hash) IS DISTINCT FROM (h.last_id, h.last_hash);
    END IF;
    PERFORM jxjy._restore(prev);
    RETURN first_broken;
END
$$;

-- ---------------------------------------------------------------------------
-- prune_expired: one row per kind with the number removed (jxjyctl prune
-- prints them).  The same three kinds as 0001's: revocations past their
-- token's expiry (the token is refused by its exp anyway), idempotency keys
-- older than 24 hours (API.md: replays within 24 h; their stored answers
-- hold names), login attempts older than a day (auth_lookup counts the last
-- hour).  Owner only (jxjyctl); the gateway never calls it.
-- ---------------------------------------------------------------------------
DROP FUNCTION jxjy.prune_expired();
CREATE FUNCTION jxjy.prune_expired() RETURNS TABLE (kind text, pruned bigint)
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
END
$$;
REVOKE EXECUTE ON FUNCTION jxjy.prune_expired() FROM PUBLIC;
