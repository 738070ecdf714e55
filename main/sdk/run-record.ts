// A run as the SDK's handles read it (docs/bridge.md "sdk/run"): a pipeline run with every step
// run, or one step run, from the store and the plan the run was recorded with.
import { join, relative, sep } from 'node:path';
import type { MillraceInputEntry, SdkRunRecord } from '../../shared/api/sdk-records.js';
import type { RunRecord, StepRecord, Trigger } from '../../shared/types.js';
import type { PlannedStep } from '../executor/plan.js';
import { inputEntries } from '../executor/step-io.js';
import { stepLogPath } from '../logs/log-file.js';
import type { RunExtras } from '../store/sdk-run-store.js';
import type { Workspace } from '../workspace/workspace.js';

type Spec = { 'x-azureml'?: Record<string, unknown>; steps?: Record<string, { 'x-azureml'?: Record<string, unknown> }> };

/** Who submitted it: the user, else the token, else the schedule. */
function submittedBy(t: Trigger | null): string {
  if (!t) return '';
  if ('user' in t && t.user) return t.user;
  if (t.kind === 'rest') return t.token;
  if ('schedule' in t) return t.schedule;
  return '';
}

const posixRel = (from: string, to: string) => relative(from, to).split(sep).join('/');

function outputsOf(ws: Workspace, stepRunId: string, plan: PlannedStep | undefined, recorded: Record<string, string>): SdkRunRecord['outputs'] {
  const out: SdkRunRecord['outputs'] = {};
  for (const [name, o] of Object.entries(plan?.outputs ?? {})) {
    let root: string;
    try {
      root = ws.datastorePath(o.datastore);
    } catch {
      continue; // a datastore removed from millrace.yml since
    }
    // Before the step starts its folder is the one it will get (run-layout.ts); a reused step's is the original's.
    const path = recorded[name] ?? join(root, 'azureml', stepRunId, name);
    out[name] = { path, datastore: o.datastore, pathOnDatastore: posixRel(root, path) };
  }
  return out;
}

/** What the step's MILLRACE_INPUTS held (or will hold): from its plan and its producers' outputs. */
function inputsOf(plan: PlannedStep | undefined, producers: Map<string, StepRecord>, stepDir: string): Record<string, MillraceInputEntry> {
  const entries = inputEntries(plan?.inputs ?? {}, (step, output) => producers.get(step)?.outputs[output], stepDir);
  return Object.fromEntries(Object.entries(entries).map(([name, { value: _value, ...entry }]) => [name, entry]));
}

function stepRecord(ws: Workspace, run: RunRecord, s: StepRecord, plan: PlannedStep | undefined, spec: Spec, extras: RunExtras | undefined, byName: Map<string, StepRecord>): SdkRunRecord {
  const xAzureml = spec.steps?.[s.name]?.['x-azureml'] ?? null;
  const asked = xAzureml && typeof xAzureml.compute === 'string' ? xAzureml.compute : undefined;
  return {
    kind: 'step', id: s.id, parentId: run.id, stepId: s.name, name: s.displayName, experiment: run.experiment,
    status: s.status, reusedFrom: s.reusedFrom, createdAt: run.createdAt, startedAt: s.startedAt, endedAt: s.endedAt, error: s.error,
    target: asked ?? plan?.compute ?? 'local',
    properties: extras?.properties ?? {}, tags: extras?.tags ?? {}, metrics: s.metrics,
    submittedBy: submittedBy(run.trigger),
    logFiles: { 'user_logs/std_log.txt': stepLogPath(ws, run.id, s) },
    runDir: join(ws.runDir(run.id), s.name),
    inputs: inputsOf(plan, byName, join(ws.runDir(run.id), s.name)),
    outputs: outputsOf(ws, s.id, plan, s.outputs),
    xAzureml,
  };
}

/** The SDK's record of a pipeline run or a step run (an id or a unique prefix); not_found otherwise. */
export function sdkRunRecord(ws: Workspace, idOrPrefix: string): SdkRunRecord {
  const id = ws.store.runs.resolveId(idOrPrefix, { steps: true });
  const state = ws.store.runs.state(id)!;
  const runId = state.kind === 'pipeline' ? id : state.parentId!;
  const run = ws.store.runs.get(runId);
  const spec = ((ws.store.runs.state(runId)?.definition as { spec?: Spec } | null)?.spec ?? {}) as Spec;
  const plans = new Map(ws.store.runs.stepStates(runId).map((r) => [r.id, r.definition as PlannedStep]));
  const extras = ws.store.sdkRuns.extras(runId);
  const byName = new Map(run.steps.map((s) => [s.name, s]));
  const steps = run.steps.map((s) => stepRecord(ws, run, s, plans.get(s.id), spec, extras.get(s.id), byName));
  if (state.kind === 'step') return steps.find((s) => s.id === id)!;
  const own = extras.get(runId);
  return {
    kind: 'pipeline', id: run.id, parentId: null, stepId: null, name: run.pipeline, experiment: run.experiment,
    status: run.status, reusedFrom: null, createdAt: run.createdAt, startedAt: run.startedAt, endedAt: run.endedAt, error: run.error,
    target: 'local', properties: own?.properties ?? {}, tags: run.tags, metrics: run.metrics,
    submittedBy: submittedBy(run.trigger), logFiles: {}, runDir: ws.runDir(run.id), inputs: {}, outputs: {},
    xAzureml: spec['x-azureml'] ?? null,
    parameters: run.parameters, trigger: run.trigger, pipelineFile: run.pipelineFile,
    publishedPipelineId: run.trigger?.publishedPipelineId ?? null,
    steps,
  };
}
