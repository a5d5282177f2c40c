-- A2 (SECURITY.md): one row per violation, zero rows = pass.
--   * every jxjy table holding persons' or jurisdiction-scoped data (listed
--     explicitly) exists and has row-level security enabled AND forced;
--   * any other jxjy table the gateway role can SELECT has it too;
--   * the gateway role jxjy_app exists, is not superuser, has no BYPASSRLS,
--     and owns no object in this database (nor a database/tablespace);
--   * every view in jxjy is security_invoker = true;
--   * every SECURITY DEFINER function (any schema but the system's) fixes its
--     search_path with a SET clause (issue 11: jxjy.token_revoked had none).
WITH protected(relname) AS (
    VALUES ('persons'), ('person_employments'), ('transfers'), ('records'), ('achievements'),
           ('cycle_assessments'), ('enrolments'), ('person_year_summary'), ('units'), ('accounts'),
           ('samples'), ('sample_items'), ('unit_evaluations'), ('commendations'), ('audit_log'),
           ('idempotency_keys'), ('bases'), ('base_faculty'), ('base_managers'), ('base_systems'),
           ('inspections'), ('projects')
), app AS (
    SELECT oid, rolsuper, rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = 'jxjy_app'
), jxjy_rel AS (
    SELECT c.oid, c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity, c.reloptions
      FROM pg_catalog.pg_class c
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'jxjy'
)
SELECT 'missing table' AS violation, 'jxjy.' || p.relname AS object
  FROM protected p
 WHERE NOT EXISTS (SELECT 1 FROM jxjy_rel r WHERE r.relname = p.relname AND r.relkind IN ('r', 'p'))
UNION ALL
SELECT 'row level security not enabled', 'jxjy.' || r.relname
  FROM jxjy_rel r
 WHERE r.relkind IN ('r', 'p') AND NOT r.relrowsecurity
   AND (r.relname IN (SELECT relname FROM protected)
        OR EXISTS (SELECT 1 FROM app WHERE pg_catalog.has_table_privilege(app.oid, r.oid, 'SELECT')))
UNION ALL
SELECT 'row level security not forced', 'jxjy.' || r.relname
  FROM jxjy_rel r
 WHERE r.relkind IN ('r', 'p') AND NOT r.relforcerowsecurity
   AND (r.relname IN (SELECT relname FROM protected)
        OR EXISTS (SELECT 1 FROM app WHERE pg_catalog.has_table_privilege(app.oid, r.oid, 'SELECT')))
UNION ALL
SELECT 'role missing', 'jxjy_app'
 WHERE NOT EXISTS (SELECT 1 FROM app)
UNION ALL
SELECT 'role is superuser', 'jxjy_app' FROM app WHERE rolsuper
UNION ALL
SELECT 'role has BYPASSRLS', 'jxjy_app' FROM app WHERE rolbypassrls
UNION ALL
-- ownership of any object of this database, and of databases/tablespaces
SELECT 'owned by jxjy_app', pg_catalog.pg_describe_object(d.classid, d.objid, d.objsubid)
  FROM pg_catalog.pg_shdepend d JOIN app ON d.refobjid = app.oid
 WHERE d.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
   AND d.deptype = 'o'
   AND d.dbid IN (0, (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database()))
UNION ALL
SELECT 'view without security_invoker', 'jxjy.' || r.relname
  FROM jxjy_rel r
 WHERE r.relkind = 'v'
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(r.reloptions) o
                    WHERE pg_catalog.lower(o) IN ('security_invoker=true', 'security_invoker=on',
                                                  'security_invoker=1', 'security_invoker=yes'))
UNION ALL
-- a materialized view cannot be security_invoker: it must not be readable
SELECT 'materialized view readable by jxjy_app', 'jxjy.' || r.relname
  FROM jxjy_rel r, app
 WHERE r.relkind = 'm' AND pg_catalog.has_table_privilege(app.oid, r.oid, 'SELECT')
UNION ALL
-- a definer function runs with its owner's rights: it must not resolve names
-- with the caller's search_path
SELECT 'security definer without SET search_path', p.oid::pg_catalog.regprocedure::text
  FROM pg_catalog.pg_proc p
  JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prosecdef
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.unnest(p.proconfig) c
                    WHERE pg_catalog.lower(c) LIKE 'search\_path=%');
