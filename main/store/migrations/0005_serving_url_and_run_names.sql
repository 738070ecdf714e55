-- The URL the workspace's owner (`millrace serve`, the desktop app) serves the API and studio on, once
-- it listens: what the CLI prints and SDK links point at, whatever port it got (issue 14, bug 9).
ALTER TABLE workspace_owner ADD COLUMN url TEXT;

-- A run's own name, given in the studio (MLflow's run name); NULL until one is given.
ALTER TABLE runs ADD COLUMN run_name TEXT;
