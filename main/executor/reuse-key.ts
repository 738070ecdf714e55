// The reuse key of DESIGN.md section 4: what a step's result depends on, hashed.
import { sha256 } from '../reuse/content-hasher.js';
import type { PlannedStep } from './plan.js';

export interface ReuseInputs {
  /** Content hash of the step's code (source directory or script), '' for a bare command. */
  codeHash: string;
  /** Content identity of every input, by input name. */
  inputHashes: Record<string, string>;
}

export function reuseKey(step: PlannedStep, r: ReuseInputs): string {
  const sortedInputs = Object.keys(r.inputHashes).sort().map((k) => [k, r.inputHashes[k]]);
  return sha256(
    JSON.stringify({
      v: 1,
      type: step.type,
      // For python the interpreter is part of the environment; the script is named relative to
      // its code so that moving a workspace keeps its reuse history.
      program: step.type === 'python' ? null : step.program,
      script: step.scriptPath && step.sourceDir ? step.scriptPath.slice(step.sourceDir.length) : step.scriptPath ? 'script' : null,
      // Arguments with parameters resolved; ${{inputs.X}} / ${{outputs.X}} stay symbolic because
      // their folders differ per run while their content identity is covered below.
      args: step.type === 'python' ? step.args.slice(1) : step.args,
      code: r.codeHash,
      inputs: sortedInputs,
      environment: { python: step.type === 'python' ? step.python : null, env: Object.entries(step.env).sort() },
      outputs: Object.keys(step.outputs).sort(),
    }),
  );
}
