-- Schedules keep their id for life and may share names (AZUREML.md section 10.4g); they gain a
-- description, a continue-on-step-failure default and the SDK's polling interval (recorded only).
-- SQLite cannot drop a UNIQUE constraint: the table is rebuilt by its documented procedure, with
-- foreign keys off so that dropping the old table cascades to nothing (checked before commit).
-- @foreign-keys-off
CREATE TABLE schedules_new (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ({{SCHEDULE_KINDS}})),
  target      TEXT NOT NULL,
  experiment  TEXT NOT NULL,
  parameters  TEXT NOT NULL DEFAULT '{}',
  recurrence  TEXT,
  data_change TEXT,
  enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  catch_up    INTEGER NOT NULL DEFAULT 0 CHECK (catch_up IN (0, 1)),
  last_fired  INTEGER,
  enabled_at  INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  description TEXT,
  continue_on_step_failure INTEGER CHECK (continue_on_step_failure IN (0, 1)),
  -- Minutes, as the SDK gives it; the watcher is faster and never uses it.
  polling_interval INTEGER,
  CHECK ((kind = 'recurrence') = (recurrence IS NOT NULL)),
  CHECK ((kind = 'dataChange') = (data_change IS NOT NULL))
);
INSERT INTO schedules_new (id, name, kind, target, experiment, parameters, recurrence, data_change, enabled, catch_up, last_fired, enabled_at, created_at, updated_at)
  SELECT id, name, kind, target, experiment, parameters, recurrence, data_change, enabled, catch_up, last_fired, enabled_at, created_at, updated_at FROM schedules;
DROP TABLE schedules;
ALTER TABLE schedules_new RENAME TO schedules;
CREATE INDEX schedules_name ON schedules(name);
