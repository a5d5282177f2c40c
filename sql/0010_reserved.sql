-- Placeholder, on branch s3 only: number 0010 belongs to another piece of
-- issue 11 (sql/0010_hardening.sql); db/embed_sql.py refuses gaps, so this
-- empty file stands in for it until the branches are merged.  DELETE THIS
-- FILE (and its line in db/meson.build) when 0010_hardening.sql arrives.
SELECT 1;
