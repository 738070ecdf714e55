-- The core side of the azureml package (AZUREML.md sections 10.4a and 10.6, docs/bridge.md).
-- (Where the owner serves, workspace_owner.url, is migration 0005's.)

-- Run properties (Run.add_properties): JSON {key: string}; a key, once set, keeps its value.
ALTER TABLE runs ADD COLUMN properties TEXT NOT NULL DEFAULT '{}';

-- Environments registered by Environment.register: a new version when the definition changed.
CREATE TABLE sdk_environments (
  name        TEXT NOT NULL,
  version     INTEGER NOT NULL,
  -- Canonical JSON of the EnvironmentDefinition (equality is text equality).
  definition  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (name, version)
);

-- Published pipelines keep the submit default given at publish and their steps' display names;
-- pipeline endpoints can be disabled (submits answer 403 then).
ALTER TABLE published_pipelines ADD COLUMN continue_on_step_failure INTEGER CHECK (continue_on_step_failure IN (0, 1));
ALTER TABLE published_pipelines ADD COLUMN step_names TEXT;
ALTER TABLE pipeline_endpoints ADD COLUMN enabled INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1));
