// Registered datasets: named, versioned references to a datastore path.
import type { DatasetKind } from '../../shared/constants.js';
import { NotFoundError } from '../../shared/errors.js';
import type { DatasetVersionRecord as DatasetRecord } from '../../shared/api/records.js';
import { Table } from './statements.js';

interface Row {
  name: string;
  version: number;
  datastore: string;
  path: string;
  kind: DatasetKind;
  description: string | null;
  created_at: number;
}
const toRecord = (r: Row): DatasetRecord => ({
  name: r.name, version: r.version, datastore: r.datastore, path: r.path, kind: r.kind,
  description: r.description, createdAt: new Date(r.created_at).toISOString(),
});

export class DatasetStore extends Table {

  /** A new version, unless the latest version already points at the same place. */
  register(d: { name: string; datastore: string; path: string; kind: DatasetKind; description?: string | null }): { record: DatasetRecord; created: boolean } {
    return this.atomically(() => {
      const latest = this.latestRow(d.name);
      if (latest && latest.datastore === d.datastore && latest.path === d.path && latest.kind === d.kind) {
        return { record: toRecord(latest), created: false };
      }
      const version = (latest?.version ?? 0) + 1;
      this.sql('INSERT INTO datasets (name, version, datastore, path, kind, description, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(d.name, version, d.datastore, d.path, d.kind, d.description ?? null, Date.now());
      return { record: toRecord(this.latestRow(d.name)!), created: true };
    });
  }

  list(): DatasetRecord[] {
    return (this.sql('SELECT * FROM datasets ORDER BY name, version DESC').all() as Row[]).map(toRecord);
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

  private latestRow(name: string): Row | undefined {
    return this.sql('SELECT * FROM datasets WHERE name = ? ORDER BY version DESC LIMIT 1').get(name) as Row | undefined;
  }
}
