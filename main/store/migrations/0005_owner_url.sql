-- The URL the workspace's owner (`millrace serve`, the desktop app) serves the API and studio on, once
-- it listens: what the CLI prints and SDK links point at, whatever port it got (issue 14, bug 9).
ALTER TABLE workspace_owner ADD COLUMN url TEXT;
