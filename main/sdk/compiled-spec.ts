// Checking a compiled SDK spec (docs/bridge.md "sdk/submit", "sdk/validate"): the shared pipeline
// schema and references, then the plan against the workspace (scripts, inputs, compute targets),
// every problem on one line that names the step's display name first, then its id.
import { LineCounter, parseDocument, stringify, isMap, isScalar } from 'yaml';
import { canonicalJson } from '../../shared/canonical-json.js';
import { UserError } from '../../shared/errors.js';
import { resolveParameters, type ParamValue } from '../../shared/params.js';
import { validatePipeline, type ValidPipeline } from '../../shared/pipeline/validate.js';
import { planRun, type RunPlan } from '../executor/plan.js';
import { sha256 } from '../reuse/content-hasher.js';
import type { Workspace } from '../workspace/workspace.js';

export interface CheckedSpec {
  pipeline: ValidPipeline;
}

/** The YAML text a spec is written as: the spec itself, key order kept. */
export const specYaml = (spec: Record<string, unknown>): string => stringify(spec, { lineWidth: 0, aliasDuplicateObjects: false });

/** First 8 hex digits of the SHA-256 of the spec's canonical JSON. */
export const specHash8 = (spec: Record<string, unknown>): string => sha256(canonicalJson(spec)).slice(0, 8);

function displayNames(spec: Record<string, unknown>): Map<string, string> {
  const names = new Map<string, string>();
  const steps = spec.steps && typeof spec.steps === 'object' ? (spec.steps as Record<string, unknown>) : {};
  for (const [id, s] of Object.entries(steps)) {
    const d = s && typeof s === 'object' ? (s as { display_name?: unknown }).display_name : undefined;
    names.set(id, typeof d === 'string' && d ? d : id);
  }
  return names;
}

/** Line number (1-based) -> the step whose YAML holds it. */
function stepLines(text: string): (line: number) => string | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  const steps = doc.get('steps', true);
  const ranges: { id: string; from: number; to: number }[] = [];
  if (isMap(steps)) {
    for (const pair of steps.items) {
      const key = pair.key;
      const end = (pair.value as { range?: [number, number, number] } | null)?.range?.[2];
      if (!isScalar(key) || !key.range || end === undefined) continue;
      ranges.push({ id: String(key.value), from: lc.linePos(key.range[0]).line, to: lc.linePos(Math.max(key.range[0], end - 1)).line });
    }
  }
  return (line) => ranges.find((r) => line >= r.from && line <= r.to)?.id;
}

/** One problem line as the SDK shows it: `step 'Train Model' (Train_Model): ...`. */
export function problemLine(raw: string, names: Map<string, string>, stepAt?: (line: number) => string | undefined): string {
  let message = raw;
  let step: string | undefined;
  const pos = /^[^\n]*?:(\d+):(\d+): /.exec(raw);
  if (pos) {
    message = raw.slice(pos[0].length);
    step = stepAt?.(Number(pos[1]));
  }
  const named = /^step '([^']+)'(?::\s*|\s+)/.exec(message);
  if (named && names.has(named[1])) {
    step = named[1];
    message = message.slice(named[0].length);
  }
  if (!step) return message;
  message = message.replace(new RegExp(`^steps\\.${step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.`), '');
  return `step '${names.get(step)}' (${step}): ${message}`;
}

/**
 * Checks a compiled spec as it would be written to `file` (its relative paths resolve there).
 * Throws `invalid_spec` listing every problem; parameter values that do not fit throw their own codes.
 */
export function checkCompiledSpec(ws: Workspace, spec: Record<string, unknown>, file: string): CheckedSpec {
  const names = displayNames(spec);
  // `x-*` keys pass validation untouched and stay on the spec (shared/pipeline/validate.ts).
  const text = specYaml(spec);
  try {
    return { pipeline: validatePipeline(file, text, ws.names()) };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    const stepAt = stepLines(text);
    const lines = e.details.length ? e.details : [e.message];
    throw new UserError('the pipeline is not valid', 'invalid_spec', lines.map((l) => problemLine(l, names, stepAt)));
  }
}

/** The plan of a checked spec with these parameter values; what cannot run is `invalid_spec`, naming display names. */
export function planChecked(ws: Workspace, checked: CheckedSpec, parameters: Record<string, unknown>): { plan: ReturnType<typeof planRun>; parameters: Record<string, ParamValue> } {
  const resolved = resolveParameters(checked.pipeline.spec.parameters, parameters);
  try {
    return { plan: planRun(ws, checked.pipeline, resolved), parameters: resolved };
  } catch (e) {
    if (!(e instanceof UserError) || e.code !== 'invalid_submit') throw e;
    const names = displayNames(checked.pipeline.spec as unknown as Record<string, unknown>);
    throw new UserError('the pipeline cannot run', 'invalid_spec', (e.details.length ? e.details : [e.message]).map((l) => problemLine(l, names)));
  }
}

/** The checked pipeline with its `x-*` keys back (what the run records) and, when asked, continue_on_step_failure. */
export function recordedPipeline(checked: CheckedSpec, continueOnStepFailure?: boolean): ValidPipeline {
  const spec = { ...checked.pipeline.spec };
  if (continueOnStepFailure !== undefined) spec.continue_on_step_failure = continueOnStepFailure;
  return { ...checked.pipeline, spec };
}
