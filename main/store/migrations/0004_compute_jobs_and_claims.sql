-- Slurm jobs of step runs (docs/compute.md), and runs waiting for a process to drive them
-- (AZUREML.md section 10.4a): a run whose owner is NULL is unclaimed; exactly one process claims it.
ALTER TABLE runs ADD COLUMN job_id TEXT;
ALTER TABLE runs ADD COLUMN job_node TEXT;
ALTER TABLE runs ADD COLUMN job_state TEXT;
-- Epoch ms since the run waits for an owner (recorded unclaimed, or released by its owner).
ALTER TABLE runs ADD COLUMN unclaimed_since INTEGER;
CREATE INDEX runs_unclaimed ON runs(unclaimed_since)
  WHERE kind = 'pipeline' AND owner_pid IS NULL AND status IN ('NotStarted', 'Queued', 'Preparing', 'Running', 'Finalizing');

-- The one detached `millrace runner` of this workspace.
CREATE TABLE workspace_runner (
  id          INTEGER PRIMARY KEY CHECK (id = 1),
  pid         INTEGER NOT NULL,
  start       TEXT NOT NULL,
  acquired_at INTEGER NOT NULL
);
