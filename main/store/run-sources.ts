// Which published pipeline (and endpoint) a run came from: its trigger names the published id
// (submit-published.ts writes it for REST, schedule and data-change submits); name and version come
// from the published pipeline's row, which never changes.
import type { PublishedSource } from '../../shared/types.js';
import { Table } from './statements.js';

export class RunSources extends Table {
  /** `triggerInfo`: the run row's trigger_info JSON. */
  published(triggerInfo: string | null): PublishedSource | null {
    if (!triggerInfo || !triggerInfo.includes('publishedPipelineId')) return null;
    const info = JSON.parse(triggerInfo) as { publishedPipelineId?: unknown; pipelineEndpoint?: unknown };
    if (typeof info.publishedPipelineId !== 'string') return null;
    const p = this.sql('SELECT name, version FROM published_pipelines WHERE id = ?').get(info.publishedPipelineId) as { name: string; version: string } | undefined;
    if (!p) return null;
    return { id: info.publishedPipelineId, name: p.name, version: p.version, endpoint: typeof info.pipelineEndpoint === 'string' ? info.pipelineEndpoint : null };
  }
}
