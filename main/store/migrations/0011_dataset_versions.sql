-- Dataset versions of AZUREML.md section 10.3: a UUID per version, several paths (globs allowed),
-- read options of tabular data, tags per version. `datastore` and `path` stay: the first of `paths`.
ALTER TABLE datasets ADD COLUMN id TEXT;
ALTER TABLE datasets ADD COLUMN paths TEXT;
ALTER TABLE datasets ADD COLUMN format TEXT;
ALTER TABLE datasets ADD COLUMN tags TEXT NOT NULL DEFAULT '{}';
UPDATE datasets SET
  paths = json_array(json_object('datastore', datastore, 'path', path)),
  id = lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
             substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX datasets_id ON datasets(id);
