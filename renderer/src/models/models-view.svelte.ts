// The Models page (AZUREML.md section 10.4h): the registry's versions grouped by model, the version
// shown, and the pipeline run its source step run belongs to (for the link). Stale answers dropped.
import type { ApiClient } from '../../../shared/api/client.js';
import type { ModelRecord } from '../../../shared/api/sdk-records.js';
import { messageOf } from '../lib/api/api.js';

export interface ModelGroup {
  name: string;
  /** Newest version first. */
  versions: ModelRecord[];
}

/** Versions by model name, models ordered by their newest version's creation (newest first). */
export function groupModels(list: readonly ModelRecord[]): ModelGroup[] {
  const groups = new Map<string, ModelRecord[]>();
  for (const m of list) (groups.get(m.name) ?? groups.set(m.name, []).get(m.name)!).push(m);
  const latest = (g: ModelRecord[]) => g.reduce((a, b) => (a.createdAt >= b.createdAt ? a : b)).createdAt;
  return [...groups.entries()]
    .map(([name, versions]) => ({ name, versions: [...versions].sort((a, b) => b.version - a.version) }))
    .sort((a, b) => (latest(b.versions) < latest(a.versions) ? -1 : latest(b.versions) > latest(a.versions) ? 1 : a.name.localeCompare(b.name)));
}

export class ModelsView {
  groups = $state.raw<ModelGroup[] | null>(null);
  error = $state<string | null>(null);
  /** "name:version" of the version shown. */
  selectedId = $state<string | null>(null);
  /** The pipeline run of the selected version's source run, once looked up. */
  sourceRun = $state<{ runId: string; pipelineRunId: string; step: string | null } | null>(null);
  private seq = 0;

  constructor(private readonly client: ApiClient) {}

  get selected(): ModelRecord | null {
    for (const g of this.groups ?? []) for (const v of g.versions) if (v.id === this.selectedId) return v;
    return null;
  }

  async load(): Promise<void> {
    try {
      const list = await this.client.call('models/list', {});
      this.groups = groupModels(list);
      this.error = null;
      if (!this.selected) await this.select(this.groups[0]?.versions[0] ?? null);
    } catch (e) {
      this.error = messageOf(e);
    }
  }

  async select(m: ModelRecord | null): Promise<void> {
    const seq = ++this.seq;
    this.selectedId = m?.id ?? null;
    this.sourceRun = null;
    if (!m?.runId) return;
    try {
      const run = await this.client.call('sdk/run', { id: m.runId });
      if (seq !== this.seq) return;
      this.sourceRun = { runId: m.runId, pipelineRunId: run.parentId ?? run.id, step: run.kind === 'step' ? run.name : null };
    } catch {
      if (seq === this.seq) this.sourceRun = null; // the run was deleted: the id alone is shown
    }
  }
}
