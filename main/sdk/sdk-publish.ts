// sdk/publish and sdk/publish-run (docs/bridge.md): a compiled SDK spec published with the code
// snapshots of its steps. Its source directories are absolute folders of the user's, so the
// published copy (published/<id>/) holds each step's snapshot under code/<code hash>/ and a
// definition whose source_directory values point there: the copy runs without the user's folders,
// and since the code is the same content, its runs reuse the SDK's (AZUREML.md section 10.4e).
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { NotFoundError } from '../../shared/errors.js';
import { newPublication } from '../publish/publish.js';
import { copyTree, PUBLISHED_DIR } from '../publish/snapshot.js';
import type { PublishedPipeline } from '../store/published-store.js';
import { snapshotDir } from '../snapshots/code-snapshot.js';
import { snapshotCode } from '../executor/submit.js';
import type { PlannedStep } from '../executor/plan.js';
import type { Workspace } from '../workspace/workspace.js';
import { checkCompiledSpec, planChecked, specYaml } from './compiled-spec.js';
import { specFilePath, writeSpecFile } from './spec-file.js';

export interface SdkPublishOptions {
  publishName: string;
  description?: string;
  version?: string;
  continueOnStepFailure?: boolean;
  endpoint?: string;
  newEndpoint?: boolean;
  endpointDescription?: string;
}

type StepSpec = Record<string, unknown> & { type?: string; script?: string; source_directory?: string };

/** A step's code snapshot and its script's path inside it (PlannedStep's `snapshot` and `script`). */
type StepCode = { hash: string; script: string | null };

/** The spec with each snapshotted step's code at code/<hash>/ (a python step's script: its path inside). */
function relocated(spec: Record<string, unknown>, codes: ReadonlyMap<string, StepCode>): Record<string, unknown> {
  const steps = Object.fromEntries(
    Object.entries(spec.steps as Record<string, StepSpec>).map(([id, s]) => {
      const code = codes.get(id);
      if (!code) return [id, s];
      const moved: StepSpec = { ...s, source_directory: `code/${code.hash}` };
      if (code.script !== null && typeof s.script === 'string') moved.script = code.script;
      return [id, moved];
    }),
  );
  return { ...spec, steps };
}

/** Writes published/<id>/ from snapshots and records it; nothing is left behind when it fails. */
function publishFromSnapshots(ws: Workspace, spec: Record<string, unknown>, codes: ReadonlyMap<string, StepCode>, o: SdkPublishOptions): PublishedPipeline {
  const { id, version, staging, final } = newPublication(ws, o.publishName, o);
  const fileName = 'pipeline.yml';
  const published = relocated(spec, codes);
  try {
    for (const hash of new Set([...codes.values()].map((c) => c.hash))) {
      const from = snapshotDir(ws.dir, hash);
      if (!existsSync(from)) throw new NotFoundError(`the code snapshot ${hash} is gone from ${join(ws.dir, 'snapshots')}`);
      copyTree(from, join(staging, 'code', hash), undefined);
    }
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, fileName), specYaml(published));
    // Checked where it now lies: its source directories resolve inside the copy.
    const checked = checkCompiledSpec(ws, published, join(final, fileName));
    const p = checked.pipeline;
    renameSync(staging, final);
    return ws.store.published.insert(
      {
        id, name: o.publishName, version, description: o.description ?? p.spec.description ?? null, pipeline: p.name,
        sourceFile: typeof spec['x-azureml'] === 'object' && spec['x-azureml'] && typeof (spec['x-azureml'] as { script?: unknown }).script === 'string' ? (spec['x-azureml'] as { script: string }).script : p.name,
        snapshotFile: `${PUBLISHED_DIR}/${id}/${fileName}`, parameters: p.spec.parameters ?? {},
        continueOnStepFailure: o.continueOnStepFailure ?? null,
        stepNames: p.order.map((s) => p.spec.steps[s].display_name ?? s),
      },
      o.endpoint ? { name: o.endpoint, description: o.endpointDescription ?? null, mustBeNew: o.newEndpoint } : undefined,
    );
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    rmSync(final, { recursive: true, force: true });
    throw e;
  }
}

/** Pipeline.publish: written as sdk/submit writes it, then published with fresh snapshots of its code. */
export async function sdkPublish(ws: Workspace, spec: Record<string, unknown>, name: string, o: SdkPublishOptions): Promise<PublishedPipeline> {
  const file = specFilePath(ws, name, spec);
  const checked = checkCompiledSpec(ws, spec, file);
  const { plan } = planChecked(ws, checked, {});
  const { code, ...planned } = plan;
  snapshotCode(ws, planned, code);
  const codes = new Map<string, StepCode>();
  for (const step of planned.steps) if (step.snapshot) codes.set(step.id, { hash: step.snapshot, script: step.script });
  writeSpecFile(file, spec);
  return publishFromSnapshots(ws, spec, codes, o);
}

/** PipelineRun.publish_pipeline: the definition and the snapshots that run used, not today's folders. */
export function sdkPublishRun(ws: Workspace, runIdOrPrefix: string, o: SdkPublishOptions): PublishedPipeline {
  const runId = ws.store.runs.resolveId(runIdOrPrefix);
  const run = ws.store.runs.summary(runId);
  if (!run.pipelineFile || !existsSync(run.pipelineFile)) throw new NotFoundError(`run ${runId}: its pipeline file ${run.pipelineFile ?? '(none)'} is gone`);
  const spec = parse(readFileSync(run.pipelineFile, 'utf8')) as Record<string, unknown>;
  // Every run records the snapshot each step ran from (AZUREML.md section 10.4d).
  const codes = new Map<string, StepCode>();
  for (const s of ws.store.runs.stepStates(runId)) {
    const d = (s.definition ?? {}) as Partial<PlannedStep>;
    if (d.snapshot) codes.set(s.name, { hash: d.snapshot, script: d.script ?? null });
  }
  const stepsWithCode = Object.entries((spec.steps ?? {}) as Record<string, StepSpec>).filter(([, s]) => s.source_directory !== undefined || s.type === 'python');
  const missing = stepsWithCode.filter(([id]) => !codes.has(id)).map(([id]) => id);
  if (missing.length) throw new NotFoundError(`run ${runId} has no code snapshot for step(s) ${missing.join(', ')} (it was recorded before snapshots); publish its file with millrace publish`);
  return publishFromSnapshots(ws, spec, codes, o);
}

/** PublishedPipeline.save: the published definition's text. */
export function publishedYaml(ws: Workspace, id: string): { yaml: string } {
  const p = ws.store.published.get(id);
  const file = join(ws.dir, p.snapshotFile);
  if (!existsSync(file)) throw new NotFoundError(`published pipeline ${id}: its definition ${file} is gone`);
  return { yaml: readFileSync(file, 'utf8') };
}
