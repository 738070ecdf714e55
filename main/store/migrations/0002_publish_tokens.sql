-- Published pipelines (immutable snapshots), pipeline endpoints with their versions, API tokens (hashed).
CREATE TABLE published_pipelines (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  version       TEXT NOT NULL,
  description   TEXT,
  pipeline_name TEXT NOT NULL,
  source_file   TEXT NOT NULL,
  -- The snapshot's pipeline file, relative to the workspace folder.
  snapshot_file TEXT NOT NULL,
  parameters    TEXT NOT NULL DEFAULT '{}',
  enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  created_at    INTEGER NOT NULL,
  UNIQUE (name, version)
);
CREATE INDEX published_pipelines_created ON published_pipelines(created_at DESC);

CREATE TABLE pipeline_endpoints (
  id                  TEXT PRIMARY KEY,
  name                TEXT NOT NULL UNIQUE,
  description         TEXT,
  default_pipeline_id TEXT NOT NULL REFERENCES published_pipelines(id),
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);

-- An endpoint's versions are the versions of the published pipelines it holds.
CREATE TABLE pipeline_endpoint_versions (
  endpoint_id           TEXT NOT NULL REFERENCES pipeline_endpoints(id),
  version               TEXT NOT NULL,
  published_pipeline_id TEXT NOT NULL REFERENCES published_pipelines(id),
  added_at              INTEGER NOT NULL,
  PRIMARY KEY (endpoint_id, version),
  UNIQUE (endpoint_id, published_pipeline_id)
);

-- Only a SHA-256 of each token is kept; the token itself is shown once, at creation.
CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  hash         TEXT NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER,
  revoked_at   INTEGER
);
CREATE UNIQUE INDEX api_tokens_active_name ON api_tokens(name) WHERE revoked_at IS NULL;
