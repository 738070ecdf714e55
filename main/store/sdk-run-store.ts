// What the SDK's run handles read beyond the run records: each run's properties (set once per key,
// Run.add_properties) and tags, for a pipeline run and its step runs in one query.
import { NotFoundError, UserError } from '../../shared/errors.js';
import { shown } from '../../shared/safe-text.js';
import { Table } from './statements.js';

export interface RunExtras {
  tags: Record<string, string | null>;
  properties: Record<string, string>;
}

export class SdkRunStore extends Table {
  /** Run id -> its tags and properties: the run itself and, for a pipeline run, its steps. */
  extras(runId: string): Map<string, RunExtras> {
    const rows = this.sql('SELECT id, tags, properties FROM runs WHERE id = ? OR parent_id = ?').all(runId, runId) as { id: string; tags: string; properties: string }[];
    return new Map(rows.map((r) => [r.id, { tags: JSON.parse(r.tags), properties: JSON.parse(r.properties) }]));
  }

  /** Adds properties; a key that has a value keeps it (another value is a conflict). Returns them all. */
  addProperties(id: string, add: Record<string, string>): Record<string, string> {
    return this.atomically(() => {
      const row = this.sql('SELECT properties FROM runs WHERE id = ?').get(id) as { properties: string } | undefined;
      if (!row) throw new NotFoundError(`no run '${id}'`);
      const props: Record<string, string> = JSON.parse(row.properties);
      for (const [k, v] of Object.entries(add)) {
        if (Object.hasOwn(props, k) && props[k] !== v) {
          throw new UserError(`property '${shown(k)}' is already '${shown(props[k])}'; properties cannot be changed`, 'conflict');
        }
        props[k] = v;
      }
      this.sql('UPDATE runs SET properties = ? WHERE id = ?').run(JSON.stringify(props), id);
      return props;
    });
  }
}
