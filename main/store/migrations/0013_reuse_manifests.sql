-- Reuse you can see (docs/reuse.md): the named parts of every distinct reuse key, shared by all
-- step runs with that key, so `runs why` can say which part differs between two runs.
CREATE TABLE reuse_manifests (
  key        TEXT PRIMARY KEY,
  parts      TEXT NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
-- A step whose key matched a Completed run's but ran anyway: the candidates the lookup skipped
-- and why (their outputs were deleted or edited in place), as JSON.
ALTER TABLE runs ADD COLUMN reuse_miss TEXT;
-- When `millrace gc` removed the step run's output folders (its record stays): never reused again.
ALTER TABLE runs ADD COLUMN outputs_deleted_at INTEGER;
