// The pipeline a run ran, from the definition recorded with it: its graph, step definitions and
// parameter declarations, whatever its file (or a published snapshot outside pipelines/) says now.
import type { RunPipeline } from '../../shared/api/records.js';
import { NotFoundError } from '../../shared/errors.js';
import { dependsOnOf } from '../../shared/pipeline/graph.js';
import type { PipelineSpec } from '../../shared/pipeline/schema.js';
import type { Workspace } from '../workspace/workspace.js';

export function runPipeline(ws: Workspace, idOrPrefix: string): RunPipeline {
  const id = ws.store.runs.resolveId(idOrPrefix);
  const row = ws.store.runs.row(id);
  if (!row || row.kind !== 'pipeline') throw new NotFoundError(`no pipeline run '${idOrPrefix}'`);
  const spec = (row.definition ? (JSON.parse(row.definition) as { spec?: PipelineSpec }).spec : undefined) ?? { steps: {} };
  const steps = ws.store.runs.stepRows(id).map((s) => s.name);
  return {
    runId: id,
    name: spec.name ?? row.name,
    description: spec.description ?? null,
    steps,
    parameters: spec.parameters ?? {},
    dependsOn: dependsOnOf(spec),
    stepSpecs: spec.steps,
  };
}
