// sdk/submit and sdk/validate (docs/bridge.md): a compiled SDK pipeline is checked, its steps' code
// snapshotted, its YAML written and its run recorded unclaimed, for the workspace's serve or its
// runner to drive (AZUREML.md section 10.4a). Nothing runs in the calling process.
import type { DataPathAssignment } from '../../shared/api/azure.js';
import type { SdkSubmitResult } from '../../shared/api/sdk-records.js';
import { UserError } from '../../shared/errors.js';
import type { Trigger } from '../../shared/types.js';
import { submitUnclaimed } from '../executor/run-claim.js';
import { dataPathValues } from '../publish/data-paths.js';
import type { Workspace } from '../workspace/workspace.js';
import { checkCompiledSpec, planChecked, recordedPipeline, type CheckedSpec } from './compiled-spec.js';
import { sdkRunRecord } from './run-record.js';
import { specFilePath, writeSpecFile } from './spec-file.js';

export interface SdkSubmitArgs {
  spec: Record<string, unknown>;
  name: string;
  experiment: string;
  parameters?: Record<string, string | number | boolean>;
  dataPaths?: Record<string, DataPathAssignment>;
  tags?: Record<string, string | null>;
  regenerateOutputs: boolean;
  continueOnStepFailure: boolean;
}

/** `millrace: ...` lines for the person running the script (the bridge's stderr is theirs). */
export type Warn = (line: string) => void;
const stderrWarn: Warn = (line) => void process.stderr.write(`millrace: ${line}\n`);

/** Parameter values of a submit: scalars, then DataPath overrides (aliases resolved, paths confined). */
function submitParameters(ws: Workspace, checked: CheckedSpec, a: Pick<SdkSubmitArgs, 'parameters' | 'dataPaths'>): Record<string, unknown> {
  const params: Record<string, unknown> = Object.assign(Object.create(null), a.parameters ?? {});
  const specs = checked.pipeline.spec.parameters ?? {};
  Object.assign(params, dataPathValues(ws, specs, checked.pipeline, a.dataPaths ?? {}, params, 'dataPaths'));
  return params;
}

export async function sdkSubmit(ws: Workspace, a: SdkSubmitArgs, trigger: Trigger, warn: Warn = stderrWarn): Promise<SdkSubmitResult> {
  const file = specFilePath(ws, a.name, a.spec);
  const checked = checkCompiledSpec(ws, a.spec, file);
  const parameters = submitParameters(ws, checked, a);
  const { plan } = planChecked(ws, checked, parameters);
  writeSpecFile(file, a.spec);
  // The run records its steps' code snapshots (recordRun): their hashes are the steps' code hashes.
  const codeHashes = new Map<string, string>();
  const runId = ws.store.transaction(() => {
    const r = submitUnclaimed(ws, file, {
      pipeline: recordedPipeline(checked, a.continueOnStepFailure),
      parameters,
      experiment: a.experiment,
      trigger,
      tags: a.tags,
      regenerateOutputs: a.regenerateOutputs,
      onProblem: warn,
    });
    for (const step of r.plan.steps) codeHashes.set(step.id, step.snapshot ?? '');
    return r.runId;
  });
  return {
    run: sdkRunRecord(ws, runId),
    pipelineFile: file,
    steps: plan.steps.map((s) => ({ stepId: s.id, displayName: s.displayName, codeHash: codeHashes.get(s.id) ?? '', allowReuse: s.allowReuse })),
  };
}

/** The problems sdk/submit would refuse the spec for (with its defaults), as result lines. */
export function sdkValidate(ws: Workspace, spec: Record<string, unknown>): { errors: string[] } {
  try {
    const checked = checkCompiledSpec(ws, spec, specFilePath(ws, 'sdk', spec));
    planChecked(ws, checked, {});
    return { errors: [] };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return { errors: e.details.length ? e.details : [e.message] };
  }
}
