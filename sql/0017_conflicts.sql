-- Existence probes (issue 11; API.md, "Accounts and abuse"): a registration
-- refused because its national_id is already registered somewhere in the
-- city (POST /v1/persons, PATCH /v1/persons/{id}, rows of POST
-- /v1/persons:import) is written to the audit log as action 'conflict',
-- and an account with more than JXJY_CONFLICTS_PER_DAY such refusals in
-- 24 h gets 429 on creates and imports of persons until the window passes.
--
-- The refusal itself is rolled back (409/422 change nothing); the gateway
-- writes its one audit row in a second, short transaction of its own in the
-- same round trip as the ROLLBACK (api_after_rollback, api/http/reply.c),
-- so the chain's global lock is held for one row, not for a request.  An
-- import writes ONE row per request however many of its rows are taken.
--
-- The counter is the audit log itself: no second table to keep in step or
-- to prune, and nothing more to write per refusal than the audit row the
-- issue asks for anyway.  A partial index holds only the conflict rows, by
-- account (the audit row's actor = the token's sub) and time, so the
-- gateway's check — "is there an (N+1)-th newest refusal inside the last
-- 24 h, and when does it leave?" — is one backward index scan that reads at
-- most N+1 entries (db statement PERSONS_CONFLICTS_WAIT), sent in the same
-- round trip as the create's or the import's other checks.
CREATE INDEX audit_log_conflicts ON jxjy.audit_log (actor, at) WHERE action = 'conflict';

-- The check runs with the caller's claims, and most callers (units) read
-- no audit row at all: an account reads its own conflict rows.  Through
-- the API this shows nothing new — GET /v1/audit is for the city bureau,
-- which reads every row, and district bureaus, whose refusals are filed
-- under the district of the unit they were registering into, their own.
CREATE POLICY audit_log_own_conflicts ON jxjy.audit_log FOR SELECT
    USING (action = 'conflict' AND actor = (SELECT jxjy.claim_sub()));
