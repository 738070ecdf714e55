// Published pipelines and pipeline endpoints. A published pipeline never changes, except enabled/disabled.
import { randomUUID } from 'node:crypto';
import { NotFoundError, UserError } from '../../shared/errors.js';
import type { PipelineEndpointRecord, PublishedPipelineRecord } from '../../shared/api/records.js';
import type { ParameterSpec } from '../../shared/pipeline/schema.js';
import { nextVersion } from '../../shared/published-versions.js';
import { Table } from './statements.js';

/** As the store knows them; the transport adds the REST endpoint URLs. */
export type PublishedPipeline = Omit<PublishedPipelineRecord, 'endpoint'> & {
  /** The snapshot's pipeline file, relative to the workspace folder. */
  snapshotFile: string;
};
export type PipelineEndpoint = Omit<PipelineEndpointRecord, 'endpoint'>;

export interface NewPublished {
  id: string;
  name: string;
  version: string;
  description: string | null;
  pipeline: string;
  sourceFile: string;
  snapshotFile: string;
  parameters: Record<string, ParameterSpec>;
  /** The submit default given at publish (null: the definition's own). */
  continueOnStepFailure?: boolean | null;
  /** Display names of its steps in pipeline order. */
  stepNames?: string[];
}

interface Row {
  id: string;
  name: string;
  version: string;
  description: string | null;
  pipeline_name: string;
  source_file: string;
  snapshot_file: string;
  parameters: string;
  enabled: number;
  created_at: number;
  continue_on_step_failure: number | null;
  step_names: string | null;
}
interface EndpointRow {
  id: string;
  name: string;
  description: string | null;
  default_pipeline_id: string;
  created_at: number;
  updated_at: number;
  enabled: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** What a submit needs to know about a published pipeline (read on every submit: kept to one cheap query). */
export interface SubmitTargetRow {
  publishedId: string;
  name: string;
  version: string;
  enabled: boolean;
  snapshotFile: string;
  parameters: Record<string, ParameterSpec>;
  endpointId: string | null;
  endpointName: string | null;
  /** False when the endpoint it was reached through is disabled. */
  endpointEnabled: boolean;
  continueOnStepFailure: boolean | null;
}

export class PublishedStore extends Table {
  /** The published pipeline a PipelineSubmit names; NotFound when there is none. */
  submitTarget(id: string): SubmitTargetRow {
    const r = this.sql('SELECT id, name, version, enabled, snapshot_file, parameters, continue_on_step_failure FROM published_pipelines WHERE id = ?').get(id) as Pick<Row, 'id' | 'name' | 'version' | 'enabled' | 'snapshot_file' | 'parameters' | 'continue_on_step_failure'> | undefined;
    if (!r) throw new NotFoundError(`no published pipeline with id '${id}'`);
    return {
      publishedId: r.id, name: r.name, version: r.version, enabled: !!r.enabled, snapshotFile: r.snapshot_file,
      parameters: JSON.parse(r.parameters), endpointId: null, endpointName: null, endpointEnabled: true,
      continueOnStepFailure: r.continue_on_step_failure == null ? null : r.continue_on_step_failure === 1,
    };
  }

  /**
   * The version of a pipeline endpoint a PipelineEndpointSubmit runs: `version`, else the endpoint's
   * default (the endpoint by id or name, the version asked for, or its default when @version is null).
   */
  endpointSubmitTarget(by: 'id' | 'name', key: string, version?: string): SubmitTargetRow {
    const r = this.sql(`SELECT e.id AS endpoint_id, e.name AS endpoint_name, e.enabled AS endpoint_enabled, p.id, p.name, p.version, p.enabled, p.snapshot_file, p.parameters, p.continue_on_step_failure
       FROM pipeline_endpoints e
       LEFT JOIN pipeline_endpoint_versions v ON v.endpoint_id = e.id AND ((@version IS NULL AND v.published_pipeline_id = e.default_pipeline_id) OR v.version = @version)
       LEFT JOIN published_pipelines p ON p.id = v.published_pipeline_id
       WHERE (@by = 'id' AND e.id = @key) OR (@by = 'name' AND e.name = @key)`,).get({ by, key, version: version ?? null }) as
      | (Partial<Pick<Row, 'id' | 'name' | 'version' | 'enabled' | 'snapshot_file' | 'parameters' | 'continue_on_step_failure'>> & { endpoint_id: string; endpoint_name: string; endpoint_enabled: number })
      | undefined;
    if (!r) throw new NotFoundError(`no pipeline endpoint ${by === 'id' ? 'with id' : 'named'} '${key}'`);
    if (!r.id) {
      const versions = this.endpoint(r.endpoint_id, 'id').versions.map((v) => v.version);
      throw new NotFoundError(`pipeline endpoint '${r.endpoint_name}' has no version '${version}' (versions: ${versions.join(', ')})`);
    }
    return {
      publishedId: r.id, name: r.name!, version: r.version!, enabled: !!r.enabled, snapshotFile: r.snapshot_file!,
      parameters: JSON.parse(r.parameters!), endpointId: r.endpoint_id, endpointName: r.endpoint_name, endpointEnabled: r.endpoint_enabled === 1,
      continueOnStepFailure: r.continue_on_step_failure == null ? null : r.continue_on_step_failure === 1,
    };
  }

  endpointExists(name: string): boolean {
    return !!this.sql('SELECT 1 FROM pipeline_endpoints WHERE name = ?').get(name);
  }

  exists(name: string, version: string): boolean {
    return !!this.sql('SELECT 1 FROM published_pipelines WHERE name = ? AND version = ?').get(name, version);
  }

  /** The version a publish of this name gets when none is given (shared/published-versions.ts). */
  nextVersion(name: string): string {
    return nextVersion(this.sql('SELECT version FROM published_pipelines WHERE name = ?', { pluck: true }).all(name) as string[]);
  }

  /**
   * Records a published pipeline and, with `endpoint`, adds it to that pipeline endpoint (created
   * when new, with it as its default). `makeDefault` (default true: Azure's PipelineEndpoint.add_default)
   * makes it the default of an existing endpoint; false leaves the default as it is. With
   * `endpoint.mustBeNew` an existing endpoint of that name is a conflict and nothing is recorded
   * (PipelineEndpoint.publish).
   */
  insert(p: NewPublished, endpoint?: { name: string; description?: string | null; makeDefault?: boolean; mustBeNew?: boolean }): PublishedPipeline {
    this.atomically(() => {
      if (endpoint?.mustBeNew && this.sql('SELECT 1 FROM pipeline_endpoints WHERE name = ?').get(endpoint.name)) {
        throw new UserError(`a pipeline endpoint named '${endpoint.name}' already exists`, 'already_exists');
      }
      if (this.exists(p.name, p.version)) {
        throw new UserError(`published pipeline '${p.name}' already has a version '${p.version}'; published versions never change, publish a new version`, 'conflict');
      }
      const now = Date.now();
      this.sql(`INSERT INTO published_pipelines (id, name, version, description, pipeline_name, source_file, snapshot_file, parameters, enabled, created_at, continue_on_step_failure, step_names)
                  VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)`)
        .run(p.id, p.name, p.version, p.description, p.pipeline, p.sourceFile, p.snapshotFile, JSON.stringify(p.parameters), now,
          p.continueOnStepFailure == null ? null : p.continueOnStepFailure ? 1 : 0, p.stepNames ? JSON.stringify(p.stepNames) : null);
      if (endpoint) {
        let ep = this.sql('SELECT * FROM pipeline_endpoints WHERE name = ?').get(endpoint.name) as EndpointRow | undefined;
        if (!ep) {
          this.sql('INSERT INTO pipeline_endpoints (id, name, description, default_pipeline_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)')
            .run(randomUUID(), endpoint.name, endpoint.description ?? null, p.id, now, now);
          ep = this.sql('SELECT * FROM pipeline_endpoints WHERE name = ?').get(endpoint.name) as EndpointRow;
        }
        if (this.sql('SELECT 1 FROM pipeline_endpoint_versions WHERE endpoint_id = ? AND version = ?').get(ep.id, p.version)) {
          throw new UserError(`pipeline endpoint '${endpoint.name}' already has a version '${p.version}'`, 'conflict');
        }
        this.sql('INSERT INTO pipeline_endpoint_versions (endpoint_id, version, published_pipeline_id, added_at) VALUES (?, ?, ?, ?)')
          .run(ep.id, p.version, p.id, now);
        if (endpoint.makeDefault !== false) this.sql('UPDATE pipeline_endpoints SET default_pipeline_id = ?, updated_at = ? WHERE id = ?').run(p.id, now, ep.id);
        else this.sql('UPDATE pipeline_endpoints SET updated_at = ? WHERE id = ?').run(now, ep.id);
      }
    });
    return this.get(p.id);
  }

  get(id: string): PublishedPipeline {
    const row = this.sql('SELECT * FROM published_pipelines WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new NotFoundError(`no published pipeline with id '${id}'`);
    return this.toRecord(row);
  }

  list(filter: { name?: string; activeOnly?: boolean } = {}): PublishedPipeline[] {
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.name) {
      where.push('name = ?');
      args.push(filter.name);
    }
    if (filter.activeOnly) where.push('enabled = 1');
    const rows = this.sql(`SELECT * FROM published_pipelines ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id`)
      .all(...args) as Row[];
    return rows.map((r) => this.toRecord(r));
  }

  setEnabled(id: string, enabled: boolean): PublishedPipeline {
    const res = this.sql('UPDATE published_pipelines SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id);
    if (!res.changes) throw new NotFoundError(`no published pipeline with id '${id}'`);
    return this.get(id);
  }

  endpoints(): PipelineEndpoint[] {
    const rows = this.sql('SELECT * FROM pipeline_endpoints ORDER BY name').all() as EndpointRow[];
    return rows.map((r) => this.toEndpoint(r));
  }

  /** By name, else by id. */
  endpoint(nameOrId: string, by: 'name' | 'id' | 'either' = 'either'): PipelineEndpoint {
    const byName = () => this.sql('SELECT * FROM pipeline_endpoints WHERE name = ?').get(nameOrId) as EndpointRow | undefined;
    const byId = () => this.sql('SELECT * FROM pipeline_endpoints WHERE id = ?').get(nameOrId) as EndpointRow | undefined;
    const row = by === 'name' ? byName() : by === 'id' ? byId() : (byName() ?? byId());
    if (!row) throw new NotFoundError(`no pipeline endpoint ${by === 'id' ? 'with id' : 'named'} '${nameOrId}'`);
    return this.toEndpoint(row);
  }

  /** A new endpoint with `publishedId` as its only version and default; a taken name is `already_exists`. */
  createEndpoint(name: string, description: string | null, publishedId: string, now = Date.now()): PipelineEndpoint {
    return this.atomically(() => {
      const p = this.get(publishedId);
      if (this.sql('SELECT 1 FROM pipeline_endpoints WHERE name = ?').get(name)) throw new UserError(`a pipeline endpoint named '${name}' already exists`, 'already_exists');
      const id = randomUUID();
      this.sql('INSERT INTO pipeline_endpoints (id, name, description, default_pipeline_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)').run(id, name, description, p.id, now, now);
      this.sql('INSERT INTO pipeline_endpoint_versions (endpoint_id, version, published_pipeline_id, added_at) VALUES (?, ?, ?, ?)').run(id, p.version, p.id, now);
      return this.endpoint(id, 'id');
    });
  }

  /** Adds a published pipeline to an endpoint under its own version (a version already there is a conflict). */
  addToEndpoint(nameOrId: string, publishedId: string, setDefault: boolean, now = Date.now()): PipelineEndpoint {
    return this.atomically(() => {
      const ep = this.endpoint(nameOrId);
      const p = this.get(publishedId);
      const same = ep.versions.find((v) => v.publishedPipelineId === p.id);
      if (!same) {
        if (ep.versions.some((v) => v.version === p.version)) {
          throw new UserError(`pipeline endpoint '${ep.name}' already has a version '${p.version}' (another published pipeline); publish this one with another version`, 'conflict');
        }
        this.sql('INSERT INTO pipeline_endpoint_versions (endpoint_id, version, published_pipeline_id, added_at) VALUES (?, ?, ?, ?)').run(ep.id, p.version, p.id, now);
      }
      if (setDefault) this.sql('UPDATE pipeline_endpoints SET default_pipeline_id = ?, updated_at = ? WHERE id = ?').run(p.id, now, ep.id);
      else this.sql('UPDATE pipeline_endpoints SET updated_at = ? WHERE id = ?').run(now, ep.id);
      return this.endpoint(ep.id, 'id');
    });
  }

  setEndpointEnabled(nameOrId: string, enabled: boolean, now = Date.now()): PipelineEndpoint {
    const ep = this.endpoint(nameOrId);
    this.sql('UPDATE pipeline_endpoints SET enabled = ?, updated_at = ? WHERE id = ?').run(enabled ? 1 : 0, now, ep.id);
    return this.endpoint(ep.id, 'id');
  }

  setDefault(nameOrId: string, version: string): PipelineEndpoint {
    const ep = this.endpoint(nameOrId);
    const v = ep.versions.find((x) => x.version === version);
    if (!v) throw new NotFoundError(`pipeline endpoint '${ep.name}' has no version '${version}' (versions: ${ep.versions.map((x) => x.version).join(', ')})`);
    this.sql('UPDATE pipeline_endpoints SET default_pipeline_id = ?, updated_at = ? WHERE id = ?').run(v.publishedPipelineId, Date.now(), ep.id);
    return this.endpoint(ep.id, 'id');
  }

  private toRecord(r: Row): PublishedPipeline {
    const eps = this.sql('SELECT e.name FROM pipeline_endpoint_versions v JOIN pipeline_endpoints e ON e.id = v.endpoint_id WHERE v.published_pipeline_id = ? ORDER BY e.name',).all(r.id) as { name: string }[];
    return {
      id: r.id, name: r.name, version: r.version, description: r.description, pipeline: r.pipeline_name,
      sourceFile: r.source_file, snapshotFile: r.snapshot_file, parameters: JSON.parse(r.parameters),
      status: r.enabled ? 'Active' : 'Disabled', enabled: !!r.enabled, createdAt: iso(r.created_at),
      pipelineEndpoints: eps.map((e) => e.name),
      continueOnStepFailure: r.continue_on_step_failure == null ? null : r.continue_on_step_failure === 1,
      stepNames: r.step_names ? JSON.parse(r.step_names) : [],
    };
  }

  private toEndpoint(r: EndpointRow): PipelineEndpoint {
    const versions = this.sql(`SELECT v.version, v.published_pipeline_id, v.added_at, p.name, p.enabled
                FROM pipeline_endpoint_versions v JOIN published_pipelines p ON p.id = v.published_pipeline_id
                WHERE v.endpoint_id = ? ORDER BY v.added_at, v.rowid`)
      .all(r.id) as { version: string; published_pipeline_id: string; added_at: number; name: string; enabled: number }[];
    const def = versions.find((v) => v.published_pipeline_id === r.default_pipeline_id);
    return {
      id: r.id, name: r.name, description: r.description, defaultPipelineId: r.default_pipeline_id, defaultVersion: def?.version ?? '',
      versions: versions.map((v) => ({
        version: v.version, publishedPipelineId: v.published_pipeline_id, name: v.name, enabled: !!v.enabled,
        isDefault: v.published_pipeline_id === r.default_pipeline_id, addedAt: iso(v.added_at),
      })),
      createdAt: iso(r.created_at), updatedAt: iso(r.updated_at), status: r.enabled === 0 ? 'Disabled' : 'Active',
    };
  }
}
