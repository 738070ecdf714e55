-- The model registry (AZUREML.md section 10.4h): each version's files live in models/<name>/<version>/.
CREATE TABLE models (
  name              TEXT NOT NULL,
  version           INTEGER NOT NULL,
  -- Relative to the workspace: models/<name>/<version>/<basename> (a file or a folder).
  path              TEXT NOT NULL,
  tags              TEXT NOT NULL DEFAULT '{}',
  properties        TEXT NOT NULL DEFAULT '{}',
  description       TEXT,
  run_id            TEXT,
  experiment        TEXT,
  framework         TEXT,
  framework_version TEXT,
  -- JSON [{name, id}]
  datasets          TEXT NOT NULL DEFAULT '[]',
  created_at        INTEGER NOT NULL,
  PRIMARY KEY (name, version)
);
CREATE INDEX models_created ON models(created_at DESC);
CREATE INDEX models_run ON models(run_id) WHERE run_id IS NOT NULL;
