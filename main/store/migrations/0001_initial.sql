-- Experiments, runs (a pipeline run and one child run per step), metrics, datasets, file hash cache.
CREATE TABLE experiments (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  created_at  INTEGER NOT NULL
);

CREATE TABLE runs (
  id               TEXT PRIMARY KEY,
  experiment_id    INTEGER NOT NULL REFERENCES experiments(id),
  parent_id        TEXT REFERENCES runs(id),
  kind             TEXT NOT NULL CHECK (kind IN ({{RUN_KINDS}})),
  name             TEXT NOT NULL,
  display_name     TEXT,
  seq              INTEGER NOT NULL DEFAULT 0,
  status           TEXT NOT NULL CHECK (status IN ({{RUN_STATUSES}})),
  trigger_kind     TEXT CHECK (trigger_kind IN ({{TRIGGER_KINDS}})),
  trigger_info     TEXT,
  pipeline_file    TEXT,
  parameters       TEXT,
  definition       TEXT,
  description      TEXT,
  tags             TEXT NOT NULL DEFAULT '{}',
  created_at       INTEGER NOT NULL,
  started_at       INTEGER,
  ended_at         INTEGER,
  error            TEXT,
  owner_pid        INTEGER,
  owner_start      TEXT,
  pid              INTEGER,
  pid_start        TEXT,
  reuse_key        TEXT,
  reused_from      TEXT,
  outputs          TEXT,
  output_hashes    TEXT,
  attempt          INTEGER NOT NULL DEFAULT 0,
  exit_code        INTEGER,
  cancel_requested INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX runs_parent ON runs(parent_id, seq);
CREATE INDEX runs_experiment ON runs(experiment_id, created_at DESC);
CREATE INDEX runs_created ON runs(kind, created_at DESC);
CREATE INDEX runs_reuse ON runs(reuse_key, ended_at DESC) WHERE status = 'Completed' AND reuse_key IS NOT NULL;
CREATE INDEX runs_active ON runs(status) WHERE status IN ('NotStarted', 'Queued', 'Preparing', 'Running', 'Finalizing');

CREATE TABLE metrics (
  id          INTEGER PRIMARY KEY,
  run_id      TEXT NOT NULL REFERENCES runs(id),
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ({{METRIC_KINDS}})),
  step        INTEGER,
  value       REAL,
  value_json  TEXT,
  description TEXT,
  ts          INTEGER NOT NULL
);
CREATE INDEX metrics_run ON metrics(run_id, name, id);

CREATE TABLE datasets (
  name        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  datastore   TEXT NOT NULL,
  path        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ({{DATASET_KINDS}})),
  description TEXT,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (name, version)
);

-- Content hashes keyed by file identity, as git's index and DVC's state do:
-- a file whose size, mtime and inode are unchanged is not read again.
CREATE TABLE file_hashes (
  path     TEXT PRIMARY KEY,
  size     INTEGER NOT NULL,
  mtime_ns TEXT NOT NULL,
  ino      TEXT NOT NULL,
  hash     TEXT NOT NULL
) WITHOUT ROWID;
