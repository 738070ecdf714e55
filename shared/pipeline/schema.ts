// One schema for the pipeline YAML and for millrace.yml (DESIGN.md sections 2 and 3). Every string
// is bounded safe text and every user-named map a nameRecord (shared/safe-text.ts).
import { z } from 'zod';
import { DATASET_KINDS, PARAMETER_TYPES, STEP_TYPES } from '../constants.js';
import { nameRecord, safeScalar, safeText, TEXT_LIMITS } from '../safe-text.js';
import { MEMORY_PATTERN } from './resources.js';

const scalar = safeScalar();
const name = safeText(TEXT_LIMITS.key).check(z.minLength(1, 'expected a non-empty name'));
const description = safeText(TEXT_LIMITS.description);
const path = safeText(TEXT_LIMITS.path);
/** Environment variable names: what `execve` can pass (no '=', which ends a name). */
const envRecord = nameRecord(scalar, { keyCheck: (k) => (k.includes('=') ? "an environment variable name may not contain '='" : undefined) });

export const parameterSchema = z.strictObject({
  type: z.enum(PARAMETER_TYPES),
  default: scalar.optional(),
  enum: z.array(scalar).min(1).optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  description: description.optional(),
});
export type ParameterSpec = z.infer<typeof parameterSchema>;

/**
 * How tabular data is read (AZUREML.md section 10.4b; a dataset's read options). YAML spells the
 * two-word keys as YAML does everywhere (`include_path`, `path_glob`); the JSON the SDK, the API
 * and MILLRACE_INPUTS exchange uses `includePath`, `pathGlob`. Both are read; the JSON form is kept.
 */
const FORMAT_SPELLINGS: Record<string, string> = { include_path: 'includePath', path_glob: 'pathGlob' };
export const datasetFormatSchema = z.preprocess(
  (v) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    if (!Object.keys(o).some((k) => Object.hasOwn(FORMAT_SPELLINGS, k) && !Object.hasOwn(o, FORMAT_SPELLINGS[k]))) return v;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [Object.hasOwn(FORMAT_SPELLINGS, k) && !Object.hasOwn(o, FORMAT_SPELLINGS[k]) ? FORMAT_SPELLINGS[k] : k, x]));
  },
  z.strictObject({
    type: z.enum(['delimited', 'parquet']),
    separator: safeText(8).optional(),
    header: z.boolean().optional(),
    encoding: z.enum(['utf8', 'utf8bom', 'iso88591', 'latin1', 'ascii', 'utf16', 'utf32', 'windows1252']).optional(),
    includePath: z.boolean().default(false),
    pathGlob: path.optional(),
  }),
);
export type DatasetFormat = z.infer<typeof datasetFormatSchema>;

export const INPUT_MODES = ['direct', 'mount', 'download'] as const;
export type InputMode = (typeof INPUT_MODES)[number];

/** What every object form of an input may add: how the step gets it (AZUREML.md section 10.4b). */
const inputOptions = {
  kind: z.enum(DATASET_KINDS).optional(),
  format: datasetFormatSchema.optional(),
  mode: z.enum(INPUT_MODES).optional(),
  path_on_compute: path.check(z.minLength(1)).optional(),
};
const datastorePath = z.strictObject({ datastore: name, path });

export const inputSchema = z.union([
  path, // ${{steps.X.outputs.Y}}
  z.strictObject({ output: path, ...inputOptions }),
  z.strictObject({ dataset: safeText(250).check(z.minLength(1, 'expected a non-empty name')), version: z.int().positive().optional(), ...inputOptions }),
  z.strictObject({ datastore: name, path, ...inputOptions }),
  z.strictObject({ paths: z.array(datastorePath).min(1).max(1000), ...inputOptions }),
]);
export type InputSpec = z.infer<typeof inputSchema>;

const memory = z.union([z.string(), z.number().positive()]).refine((v) => MEMORY_PATTERN.test(String(v)), 'expected a memory size such as 512M, 16G (a plain number is MiB)');

/** What a step needs from its compute target (docs/compute.md). */
export const resourcesSchema = z.strictObject({
  cpus: z.number().positive().max(100_000).optional(),
  memory: memory.optional(),
  gpus: z.int().min(0).max(1024).optional(),
});

export const outputSchema = z
  .strictObject({
    datastore: name.optional(),
    description: description.optional(),
    /** A folder on the datastore instead of azureml/<step run id>/<name>; {run-id} and {output-name} are replaced. */
    path: path.check(z.minLength(1)).optional(),
    /** Registered as a dataset version when the step ends Completed (reused too). */
    register_as: z
      .strictObject({
        name: safeText(250).check(z.minLength(1)),
        description: description.optional(),
        tags: nameRecord(safeText(TEXT_LIMITS.tagValue)).optional(),
        kind: z.enum(DATASET_KINDS).default('file'),
        format: datasetFormatSchema.optional(),
      })
      .optional(),
  })
  .nullable();

export const stepSchema = z.strictObject({
  type: z.enum(STEP_TYPES),
  display_name: safeText(TEXT_LIMITS.name).optional(),
  description: description.optional(),
  script: path.check(z.minLength(1)).optional(),
  command: z
    .array(scalar, { error: 'expected a list of arguments (argv); commands never go through a shell' })
    .min(1)
    .optional(),
  arguments: z.array(scalar).optional(),
  inputs: nameRecord(inputSchema).optional(),
  outputs: nameRecord(outputSchema).optional(),
  compute: name.optional(),
  resources: resourcesSchema.optional(),
  environment: name.optional(),
  /** An interpreter for this python step instead of its environment's (the SDK's interpreter_path). */
  python: path.check(z.minLength(1)).optional(),
  source_directory: path.optional(),
  allow_reuse: z.boolean().optional(),
  timeout: z.number().positive().optional(),
  retries: z.int().min(0).max(100).optional(),
  env: envRecord.optional(),
  run_after: z.array(name).optional(),
});
/** `x-*` keys (`x-azureml`): carried verbatim, never affecting validation beyond JSON, execution or reuse. */
export type Extensions = { [key: `x-${string}`]: unknown };
export type StepSpec = z.infer<typeof stepSchema> & Extensions;

export const pipelineSchema = z.strictObject({
  name: safeText(TEXT_LIMITS.name).check(z.minLength(1, 'expected a non-empty name')).optional(),
  description: description.optional(),
  parameters: nameRecord(parameterSchema).optional(),
  defaults: z
    .strictObject({
      compute: name.optional(),
      source_directory: path.optional(),
      environment: name.optional(),
    })
    .optional(),
  continue_on_step_failure: z.boolean().optional(),
  /** `azureml`: parameter values render as Python's str() does (True, 1.0), as the SDK passes them. */
  argument_style: z.enum(['millrace', 'azureml']).optional(),
  steps: nameRecord(stepSchema).refine((s) => Object.keys(s).length > 0, 'a pipeline needs at least one step'),
});
export type PipelineSpec = Omit<z.infer<typeof pipelineSchema>, 'steps'> & Extensions & { steps: Record<string, StepSpec> };

const slots = z.int().min(1).max(1024);
const slurmTime = z.union([z.int().positive(), z.string().regex(/^(\d+-\d{1,2}(:\d{2}){0,2}|\d+(:\d{2}){0,2})$/, 'expected minutes or D-HH:MM:SS')]);

/** A compute target of millrace.yml: a local process pool, or a Slurm cluster (docs/compute.md). */
export const computeTargetSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('local'),
    max_concurrency: slots.optional(),
    cpus: z.number().positive().max(100_000).optional(),
    memory: memory.optional(),
    gpus: z.array(z.union([z.int().min(0), z.string().min(1).regex(/^[^,\s]+$/, 'a GPU id has no comma or space')])).optional(),
  }),
  z.strictObject({
    type: z.literal('slurm'),
    max_concurrency: slots.optional(),
    partition: name.optional(),
    account: name.optional(),
    qos: name.optional(),
    time_limit: slurmTime.optional(),
    cpus_per_task: z.int().positive().optional(),
    mem: memory.optional(),
    gres: name.optional(),
    sbatch_args: z.array(z.string(), { error: 'expected a list of arguments (argv); nothing goes through a shell' }).optional(),
  }),
]);
export type ComputeTargetSpec = z.infer<typeof computeTargetSchema>;

export const workspaceConfigSchema = z.strictObject({
  datastores: nameRecord(z.strictObject({ path: path.check(z.minLength(1)), description: description.optional() })).optional(),
  compute: nameRecord(computeTargetSchema).optional(),
  environments: nameRecord(
    z.strictObject({
      python: path.check(z.minLength(1)).optional(),
      env: envRecord.optional(),
      working_dir: path.optional(),
    }),
  ).optional(),
  server: z.strictObject({ host: z.string().optional(), port: z.int().min(0).max(65535).optional() }).optional(),
  executor: z
    .strictObject({
      /** ms between SIGTERM and SIGKILL on cancel/timeout */
      kill_grace_ms: z.int().min(0).optional(),
      /** Keep each step run's working copy after it ends (AZUREML.md section 10.4d). */
      keep_working_copies: z.boolean().optional(),
    })
    .optional(),
});
export type WorkspaceConfigSpec = z.infer<typeof workspaceConfigSchema>;

export const datasetKindSchema = z.enum(DATASET_KINDS);
