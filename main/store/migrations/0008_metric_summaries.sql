-- One row per metric of a run (issue 13): how many points, the numeric range, the first and the
-- last point. Run records carry these instead of every point, whatever a series' length; kept by
-- MetricStore.insert in the transaction that adds the points. Filled here for existing runs.
CREATE TABLE metric_summaries (
  run_id   TEXT NOT NULL REFERENCES runs(id),
  name     TEXT NOT NULL,
  count    INTEGER NOT NULL,
  min      REAL,
  max      REAL,
  first_id INTEGER NOT NULL,
  last_id  INTEGER NOT NULL,
  PRIMARY KEY (run_id, name)
) WITHOUT ROWID;

INSERT INTO metric_summaries (run_id, name, count, min, max, first_id, last_id)
  SELECT run_id, name, COUNT(*), MIN(value), MAX(value), MIN(id), MAX(id) FROM metrics GROUP BY run_id, name;
