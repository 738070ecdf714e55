// The reuse key of DESIGN.md section 4: what a step's result depends on, hashed. Never how it was
// submitted, its step id or display name, where its snapshot lies or its working copy's path
// (AZUREML.md section 10.4e): the same work from the SDK, the REST API and a YAML file reuses.
import { sha256 } from '../reuse/content-hasher.js';
import type { PlannedStep } from './plan.js';

export interface ReuseInputs {
  /** Content hash of the step's code (its snapshot), '' for a bare command. */
  codeHash: string;
  /** Content identity of every input, by input name. */
  inputHashes: Record<string, string>;
}

/** The parts of the key, named: what `millrace runs why` compares (and the key hashes). */
export function reuseKeyParts(step: PlannedStep, r: ReuseInputs) {
  return {
    v: 2,
    type: step.type,
    // For python the interpreter is part of the environment, the script named inside its code.
    program: step.type === 'python' ? null : step.program,
    script: step.script,
    // Parameters resolved; ${{inputs.X}} / ${{outputs.X}} stay symbolic: their folders differ per run
    // while their content identity is covered below.
    args: step.args,
    code: r.codeHash,
    inputs: Object.keys(r.inputHashes).sort().map((k) => [k, r.inputHashes[k]] as const),
    environment: { python: step.type === 'python' ? step.python : null, env: Object.entries(step.env).sort() },
    outputs: Object.keys(step.outputs).sort(),
  };
}

export type ReuseKeyParts = ReturnType<typeof reuseKeyParts>;

export function reuseKey(step: PlannedStep, r: ReuseInputs): string {
  return reuseKeyWithParts(step, r).key;
}

/** The key and the JSON text of its parts (what the store keeps once per distinct key). */
export function reuseKeyWithParts(step: PlannedStep, r: ReuseInputs): { key: string; parts: string } {
  const parts = JSON.stringify(reuseKeyParts(step, r));
  return { key: sha256(parts), parts };
}
