// The pipeline a run ran, from the definition recorded with it: its graph, step definitions and
// parameter declarations, whatever its file (or a published snapshot outside pipelines/) says now.
import type { RunPipeline, StepInvocation } from '../../shared/api/records.js';
import type { PlannedStep } from '../executor/plan.js';
import type { RunState } from '../store/run-rows.js';
import { NotFoundError } from '../../shared/errors.js';
import { dependsOnOf } from '../../shared/pipeline/graph.js';
import type { PipelineSpec } from '../../shared/pipeline/schema.js';
import type { Workspace } from '../workspace/workspace.js';

export function runPipeline(ws: Workspace, idOrPrefix: string): RunPipeline {
  const id = ws.store.runs.resolveId(idOrPrefix);
  const row = ws.store.runs.state(id);
  if (!row || row.kind !== 'pipeline') throw new NotFoundError(`no pipeline run '${idOrPrefix}'`);
  const spec = (row.definition as { spec?: PipelineSpec } | null)?.spec ?? ({ steps: {} } as unknown as PipelineSpec);
  const rows = ws.store.runs.stepStates(id);
  const steps = rows.map((s) => s.name);
  return {
    runId: id,
    name: spec.name ?? row.name,
    description: spec.description ?? null,
    steps,
    parameters: spec.parameters ?? {},
    dependsOn: dependsOnOf(spec),
    stepSpecs: spec.steps,
    invocations: invocations(rows),
  };
}

const outputsOf = (row: RunState): Record<string, string> => row.outputs ?? {};

/** Each step's planned command with ${{inputs.X}} and ${{outputs.X}} replaced by this run's folders. */
function invocations(rows: RunState[]): Record<string, StepInvocation> {
  const byName = new Map(rows.map((r) => [r.name, r]));
  const out: Record<string, StepInvocation> = {};
  for (const row of rows) {
    const plan = (row.definition ?? {}) as Partial<PlannedStep>;
    const inputs: StepInvocation['inputs'] = {};
    for (const [name, inp] of Object.entries(plan.inputs ?? {})) {
      if (inp.kind === 'step') {
        const up = byName.get(inp.step);
        inputs[name] = { from: `${inp.step}.${inp.output}`, path: (up && outputsOf(up)[inp.output]) ?? null };
      } else {
        const where = `${inp.datastore}:${inp.relPath}`;
        inputs[name] = { from: inp.dataset ? `dataset ${inp.dataset.name} v${inp.dataset.version} (${where})` : where, path: inp.path };
      }
    }
    const outputs = outputsOf(row);
    const resolve = (text: string) =>
      text.replace(/\$\{\{\s*(inputs|outputs)\.([^}\s]+)\s*\}\}/g, (whole, kind: string, name: string) =>
        (kind === 'inputs' ? inputs[name]?.path : outputs[name]) ?? whole,
      );
    out[row.name] = {
      // A python step's script is relative to its working copy (the step runs there).
      command: [plan.program ?? '', ...(plan.script ? [plan.script] : []), ...(plan.args ?? [])].filter((a, i) => i > 0 || a).map(resolve),
      inputs,
      compute: plan.compute ?? 'local',
      environment: plan.environment ?? 'default',
      parameters: plan.parameters ?? {},
    };
  }
  return out;
}
