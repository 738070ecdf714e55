// Registered datasets: named, versioned definitions over datastore paths (globs allowed), with a
// UUID, read options and tags per version (AZUREML.md section 10.3).
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../shared/canonical-json.js';
import type { DatasetKind } from '../../shared/constants.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import type { DatasetVersionRecord as DatasetRecord } from '../../shared/api/records.js';
import type { DatasetFormat } from '../../shared/api/sdk-records.js';
import { shown } from '../../shared/safe-text.js';
import { Table } from './statements.js';

interface Row {
  name: string;
  version: number;
  id: string;
  datastore: string;
  path: string;
  paths: string | null;
  kind: DatasetKind;
  format: string | null;
  description: string | null;
  tags: string;
  created_at: number;
}
const pathsOf = (r: Row): { datastore: string; path: string }[] => (r.paths ? JSON.parse(r.paths) : [{ datastore: r.datastore, path: r.path }]);
const toRecord = (r: Row): DatasetRecord => ({
  name: r.name, version: r.version, id: r.id, datastore: r.datastore, path: r.path, paths: pathsOf(r), kind: r.kind,
  format: r.format ? JSON.parse(r.format) : null, description: r.description, tags: JSON.parse(r.tags),
  createdAt: new Date(r.created_at).toISOString(),
});

/** What makes two versions the same dataset (docs/bridge.md: canonical JSON of kind, real paths, format). */
const definitionOf = (d: { kind: DatasetKind; paths: { datastore: string; path: string }[]; format?: DatasetFormat | null }): string =>
  canonicalJson({ kind: d.kind, paths: d.paths.map((p) => ({ datastore: p.datastore, path: p.path })), ...(d.format ? { format: d.format } : {}) });

export interface NewDatasetVersion {
  name: string;
  kind: DatasetKind;
  /** Real datastore names. */
  paths: { datastore: string; path: string }[];
  format?: DatasetFormat | null;
  description?: string | null;
  tags?: Record<string, string>;
  /** A definition other than the latest's: a new version (true, or unset) or a conflict (false). */
  createNewVersion?: boolean;
}

export class DatasetStore extends Table {
  /** The latest version when it has the same definition (its tags and description unchanged), else a new one. */
  register(d: NewDatasetVersion): { record: DatasetRecord; created: boolean } {
    return this.atomically(() => {
      const latest = this.latestRow(d.name);
      if (latest && definitionOf({ kind: latest.kind, paths: pathsOf(latest), format: latest.format ? JSON.parse(latest.format) : null }) === definitionOf(d)) {
        return { record: toRecord(latest), created: false };
      }
      if (latest && d.createNewVersion === false) {
        throw new UserError(`dataset '${shown(d.name)}' version ${latest.version} has another definition; register with create_new_version=True for a new version`, 'conflict');
      }
      const version = (latest?.version ?? 0) + 1;
      this.sql(`INSERT INTO datasets (name, version, id, datastore, path, paths, kind, format, description, tags, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(d.name, version, randomUUID(), d.paths[0].datastore, d.paths[0].path, JSON.stringify(d.paths), d.kind,
        d.format ? JSON.stringify(d.format) : null, d.description ?? null, JSON.stringify(d.tags ?? {}), Date.now());
      return { record: toRecord(this.latestRow(d.name)!), created: true };
    });
  }

  /** Every version, by name then version. */
  list(): DatasetRecord[] {
    return (this.sql('SELECT * FROM datasets ORDER BY name, version').all() as Row[]).map(toRecord);
  }

  names(): string[] {
    return (this.sql('SELECT DISTINCT name FROM datasets ORDER BY name').all() as { name: string }[]).map((r) => r.name);
  }

  get(name: string, version?: number): DatasetRecord {
    const row =
      version === undefined
        ? this.latestRow(name)
        : (this.sql('SELECT * FROM datasets WHERE name = ? AND version = ?').get(name, version) as Row | undefined);
    if (!row) throw new NotFoundError(`no dataset '${name}'${version === undefined ? '' : ` version ${version}`}`);
    return toRecord(row);
  }

  getById(id: string): DatasetRecord {
    const row = this.sql('SELECT * FROM datasets WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new NotFoundError(`no dataset version with id '${shown(id)}'`);
    return toRecord(row);
  }

  setTags(name: string, version: number, tags: Record<string, string>): DatasetRecord {
    const res = this.sql('UPDATE datasets SET tags = ? WHERE name = ? AND version = ?').run(JSON.stringify(tags), name, version);
    if (!res.changes) throw new NotFoundError(`no dataset '${name}' version ${version}`);
    return this.get(name, version);
  }

  private latestRow(name: string): Row | undefined {
    return this.sql('SELECT * FROM datasets WHERE name = ? ORDER BY version DESC LIMIT 1').get(name) as Row | undefined;
  }
}
