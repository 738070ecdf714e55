// Store records of published pipelines and endpoints + the URLs a given server answers them on.
import { azurePaths } from '../../shared/api/azure.js';
import type { PipelineEndpointRecord, PublishedPipelineRecord } from '../../shared/api/records.js';
import type { PipelineEndpoint, PublishedPipeline } from '../store/published-store.js';
import { isSameProcessAlive } from '../executor/process-identity.js';
import type { Workspace, WorkspaceConfig } from '../workspace/workspace.js';

export function publishedRecord(p: PublishedPipeline, baseUrl: string): PublishedPipelineRecord {
  const { snapshotFile: _internal, ...rest } = p;
  return { ...rest, endpoint: `${baseUrl}${azurePaths.publishedSubmit(p.id)}` };
}

export function endpointRecord(e: PipelineEndpoint, baseUrl: string): PipelineEndpointRecord {
  return { ...e, endpoint: `${baseUrl}${azurePaths.endpointSubmitByName(e.name)}` };
}

/** A run's page in the studio (the hash route the UI serves; Azure's RunUrl is its portal link). */
export const studioRunUrl = (baseUrl: string, runId: string): string => `${baseUrl}/#/runs/${encodeURIComponent(runId)}`;

/** The URL `millrace serve` will answer on with this workspace's settings (for what the CLI prints). */
export function configuredBaseUrl(config: WorkspaceConfig): string {
  const { host, port } = config.server;
  const h = host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}`;
}

/**
 * Where this workspace's REST API answers for local callers (the CLI, the stdio bridge): the URL
 * the live owner (`millrace serve`, the desktop app) recorded with its lock, else millrace.yml's.
 */
export function localBaseUrl(ws: Workspace): string {
  const o = ws.store.schedules.owner();
  if (o?.url && isSameProcessAlive(o.pid, o.start)) return o.url;
  return configuredBaseUrl(ws.config);
}
