// The model registry's rows (AZUREML.md section 10.4h); the files are the registry's (main/models/).
import type { ModelRecord } from '../../shared/api/sdk-records.js';
import { NotFoundError, UserError } from '../../shared/errors.js';
import { shown } from '../../shared/safe-text.js';
import { Table } from './statements.js';

/** A version as stored: `path` relative to the workspace. */
export type StoredModel = Omit<ModelRecord, 'id'>;

interface Row {
  name: string;
  version: number;
  path: string;
  tags: string;
  properties: string;
  description: string | null;
  run_id: string | null;
  experiment: string | null;
  framework: string | null;
  framework_version: string | null;
  datasets: string;
  created_at: number;
}

const toStored = (r: Row): StoredModel => ({
  name: r.name, version: r.version, path: r.path, tags: JSON.parse(r.tags), properties: JSON.parse(r.properties),
  description: r.description, runId: r.run_id, experiment: r.experiment, framework: r.framework, frameworkVersion: r.framework_version,
  datasets: JSON.parse(r.datasets), createdAt: new Date(r.created_at).toISOString(),
});

export class ModelStore extends Table {
  /** The version the next registration of `name` gets. */
  nextVersion(name: string): number {
    return ((this.sql('SELECT MAX(version) FROM models WHERE name = ?', { pluck: true }).get(name) as number | null) ?? 0) + 1;
  }

  /**
   * Records a version whose files `place(version)` puts in place, inside the transaction that picks
   * the version: two registrations at once get two versions, never one.
   */
  insert(m: Omit<StoredModel, 'version' | 'path' | 'createdAt'>, place: (version: number) => string, now = Date.now()): StoredModel {
    return this.atomically(() => {
      const version = this.nextVersion(m.name);
      const path = place(version);
      this.sql(`INSERT INTO models (name, version, path, tags, properties, description, run_id, experiment, framework, framework_version, datasets, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(m.name, version, path, JSON.stringify(m.tags), JSON.stringify(m.properties), m.description,
        m.runId, m.experiment, m.framework, m.frameworkVersion, JSON.stringify(m.datasets), now);
      return this.get(m.name, version);
    });
  }

  get(name: string, version?: number): StoredModel {
    const r = (version === undefined
      ? this.sql('SELECT * FROM models WHERE name = ? ORDER BY version DESC LIMIT 1').get(name)
      : this.sql('SELECT * FROM models WHERE name = ? AND version = ?').get(name, version)) as Row | undefined;
    if (!r) throw new NotFoundError(`no model '${shown(name)}'${version === undefined ? '' : ` version ${version}`}`);
    return toStored(r);
  }

  /** Newest first (created, then version); `latest`: the newest version of each name. */
  list(f: { name?: string; runId?: string; latest?: boolean } = {}): StoredModel[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (f.name) {
      where.push('name = ?');
      args.push(f.name);
    }
    if (f.runId) {
      where.push('run_id = ?');
      args.push(f.runId);
    }
    if (f.latest) where.push('version = (SELECT MAX(version) FROM models m2 WHERE m2.name = models.name)');
    const rows = this.sql(`SELECT * FROM models ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, version DESC`).all(...args) as Row[];
    return rows.map(toStored);
  }

  /** Replaces tags, adds properties (an existing key keeps its value: another one is a conflict), sets the description. */
  update(name: string, version: number, u: { tags?: Record<string, string>; properties?: Record<string, string>; description?: string | null }): StoredModel {
    return this.atomically(() => {
      const cur = this.get(name, version);
      const properties = { ...cur.properties };
      for (const [k, v] of Object.entries(u.properties ?? {})) {
        if (Object.hasOwn(properties, k) && properties[k] !== v) {
          throw new UserError(`model ${name}:${version}: property '${shown(k)}' is already '${shown(properties[k])}'; properties cannot be changed`, 'conflict');
        }
        properties[k] = v;
      }
      this.sql('UPDATE models SET tags = ?, properties = ?, description = ? WHERE name = ? AND version = ?').run(
        JSON.stringify(u.tags ?? cur.tags), JSON.stringify(properties), u.description === undefined ? cur.description : u.description, name, version);
      return this.get(name, version);
    });
  }

  delete(name: string, version: number): StoredModel {
    const cur = this.get(name, version);
    this.sql('DELETE FROM models WHERE name = ? AND version = ?').run(name, version);
    return cur;
  }
}
