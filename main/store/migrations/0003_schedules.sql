-- Schedules (DESIGN.md section 8), their fire records and handled data changes, and the workspace's owner lock.
CREATE TABLE schedules (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL CHECK (kind IN ({{SCHEDULE_KINDS}})),
  -- JSON: {"publishedId": ...} or {"endpointName": ..., "version"?: ...}
  target      TEXT NOT NULL,
  experiment  TEXT NOT NULL,
  parameters  TEXT NOT NULL DEFAULT '{}',
  -- JSON ScheduleRecurrence or {cron, timeZone, startTime}; recurrence schedules only.
  recurrence  TEXT,
  -- JSON {datastore, pathOnDatastore, glob, mode, dataPathParameterName, polling}; dataChange schedules only.
  data_change TEXT,
  enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
  catch_up    INTEGER NOT NULL DEFAULT 0 CHECK (catch_up IN (0, 1)),
  -- Epoch ms of the last fire time handled (fired, caught up or skipped); later slots are still due.
  last_fired  INTEGER,
  -- Epoch ms of creation or the last enable: slots before it never fire (not even with catch_up).
  enabled_at  INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  CHECK ((kind = 'recurrence') = (recurrence IS NOT NULL)),
  CHECK ((kind = 'dataChange') = (data_change IS NOT NULL))
);

-- One row per fire time a schedule acted on: the (schedule, fire time) pair is the run's dedup key.
CREATE TABLE schedule_fires (
  schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  fire_time   INTEGER NOT NULL,
  run_id      TEXT,
  -- Why no run was started (e.g. the published pipeline was disabled).
  error       TEXT,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (schedule_id, fire_time)
);

-- Content handled per file: (schedule, path, hash) is the run's dedup key. `current` marks each path's latest
-- handled hash (A -> B -> A fires three times; the third A re-marks its row).
CREATE TABLE data_change_handled (
  schedule_id TEXT NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
  path        TEXT NOT NULL,
  hash        TEXT NOT NULL,
  run_id      TEXT,
  error       TEXT,
  current     INTEGER NOT NULL DEFAULT 1 CHECK (current IN (0, 1)),
  handled_at  INTEGER NOT NULL,
  PRIMARY KEY (schedule_id, path, hash)
);
CREATE UNIQUE INDEX data_change_handled_current ON data_change_handled(schedule_id, path) WHERE current = 1;

-- The one process that fires schedules and watches data for this workspace (`millrace serve`, the desktop app).
CREATE TABLE workspace_owner (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  pid         INTEGER NOT NULL,
  start       TEXT NOT NULL,
  description TEXT NOT NULL,
  acquired_at INTEGER NOT NULL
);
