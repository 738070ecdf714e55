-- Validated pipeline files, one row per file: a rerun of an unchanged file skips parsing and
-- checking it (issue 13). `key` hashes the file's text, what the workspace offered the checks and
-- the validator's build; a row whose key no longer matches is simply replaced.
CREATE TABLE pipeline_cache (
  path      TEXT PRIMARY KEY,
  key       TEXT NOT NULL,
  validated TEXT NOT NULL,
  stored_at INTEGER NOT NULL
);
