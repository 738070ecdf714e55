// Environments registered by the azureml package (Environment.register): versions of a definition,
// a new one only when the definition changed (canonical JSON text equality).
import { NotFoundError } from '../../shared/errors.js';
import { Table } from './statements.js';

export interface StoredEnvironment {
  name: string;
  version: number;
  /** Canonical JSON. */
  definition: string;
  createdAt: number;
}

interface Row {
  name: string;
  version: number;
  definition: string;
  created_at: number;
}
const toStored = (r: Row): StoredEnvironment => ({ name: r.name, version: r.version, definition: r.definition, createdAt: r.created_at });

export class SdkEnvironmentStore extends Table {
  /** The latest version when its definition is `definition`, else a new version. */
  register(name: string, definition: string, now = Date.now()): StoredEnvironment {
    return this.atomically(() => {
      const latest = this.latest(name);
      if (latest && latest.definition === definition) return latest;
      const version = (latest?.version ?? 0) + 1;
      this.sql('INSERT INTO sdk_environments (name, version, definition, created_at) VALUES (?, ?, ?, ?)').run(name, version, definition, now);
      return { name, version, definition, createdAt: now };
    });
  }

  latest(name: string): StoredEnvironment | undefined {
    const r = this.sql('SELECT * FROM sdk_environments WHERE name = ? ORDER BY version DESC LIMIT 1').get(name) as Row | undefined;
    return r && toStored(r);
  }

  get(name: string, version?: number): StoredEnvironment {
    const r = version === undefined ? undefined : (this.sql('SELECT * FROM sdk_environments WHERE name = ? AND version = ?').get(name, version) as Row | undefined);
    const found = version === undefined ? this.latest(name) : r && toStored(r);
    if (!found) throw new NotFoundError(`no registered environment '${shownName(name)}'${version === undefined ? '' : ` version ${version}`}`);
    return found;
  }

  /** The latest version of each, by name. */
  listLatest(): StoredEnvironment[] {
    return (this.sql('SELECT e.* FROM sdk_environments e WHERE version = (SELECT MAX(version) FROM sdk_environments WHERE name = e.name) ORDER BY name').all() as Row[]).map(toStored);
  }
}

const shownName = (s: string) => s.replace(/[\u0000-\u001f]/g, '?');
