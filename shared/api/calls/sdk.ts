// The calls of the azureml package (AZUREML.md section 10, docs/bridge.md): submit, validate and
// publish compiled SDK pipelines, read runs as the SDK's handles do, run properties, registered
// environments, the SDK's token. Reachable from every transport; the ones that read files anywhere
// on the machine (a compiled spec's absolute source directories) answer local callers only.
import { z } from 'zod';
import { dataPathSchema } from '../azure.js';
import { call } from '../define.js';
import type { PublishedPipelineRecord } from '../records.js';
import type { MetricValues } from '../../types.js';
import type { EnvironmentDefinition, SdkEnvironmentRecord, SdkRunRecord, SdkSubmitResult } from '../sdk-records.js';
import { nameRecord, safeText, TEXT_LIMITS } from '../../safe-text.js';
import { description, experimentName, id, objectName, paramValues, runId, tags } from './fields.js';

/** The compiled pipeline spec (DESIGN.md section 3 + AZUREML.md 10.4b as JSON): checked by the core with the shared schema. */
const spec = z.record(z.string(), z.unknown(), { error: 'expected the compiled pipeline spec (a JSON object)' });
/** The file stem of pipelines/sdk/<name>-<hash8>.yml: the script's stem, "notebook" or "sdk". */
const fileStem = safeText(TEXT_LIMITS.key).check(z.minLength(1));

const stringMap = nameRecord(safeText(TEXT_LIMITS.tagValue));

const environmentDefinition: z.ZodType<EnvironmentDefinition> = z.object({
  python: z.object({
    user_managed_dependencies: z.boolean(),
    interpreter_path: safeText(TEXT_LIMITS.path),
    conda_dependencies: z
      .object({
        name: safeText(TEXT_LIMITS.key).nullable(),
        channels: z.array(safeText(TEXT_LIMITS.path)),
        conda_packages: z.array(safeText(TEXT_LIMITS.path)),
        pip_packages: z.array(safeText(TEXT_LIMITS.path)),
      })
      .nullable(),
    conda_environment_name: safeText(TEXT_LIMITS.key).nullable(),
  }),
  docker: z.object({ enabled: z.boolean(), base_image: safeText(TEXT_LIMITS.path).nullable(), base_dockerfile: safeText(TEXT_LIMITS.description).nullable() }),
  environment_variables: stringMap,
});

export const sdkCalls = {
  'sdk/submit': call<SdkSubmitResult>()({
    method: 'POST', path: '/sdk/submit',
    args: z.strictObject({
      spec,
      name: fileStem,
      experiment: experimentName,
      parameters: paramValues.optional(),
      dataPaths: nameRecord(dataPathSchema).optional(),
      tags: tags.optional(),
      regenerateOutputs: z.boolean().default(false),
      continueOnStepFailure: z.boolean().default(false),
    }),
    summary: 'validate a compiled SDK pipeline, snapshot its code, write pipelines/sdk/<name>-<hash8>.yml and record the run unclaimed (a serve or the runner drives it); local callers only',
  }),
  'sdk/validate': call<{ errors: string[] }>()({
    method: 'POST', path: '/sdk/validate', args: z.strictObject({ spec }),
    summary: "the problems of a compiled SDK pipeline, one per line naming the step's display name (empty when valid); writes nothing",
  }),
  'sdk/publish': call<PublishedPipelineRecord>()({
    method: 'POST', path: '/sdk/publish',
    args: z.strictObject({
      spec,
      name: fileStem,
      publishName: objectName('a published pipeline name'),
      description: description.optional(),
      version: objectName('a version').optional(),
      continueOnStepFailure: z.boolean().optional(),
      endpoint: objectName('a pipeline endpoint name').optional(),
      newEndpoint: z.boolean().default(false),
      endpointDescription: description.optional(),
    }),
    summary: 'write a compiled SDK pipeline as sdk/submit does, then publish it (and add it to an endpoint as its default); local callers only',
  }),
  'sdk/publish-run': call<PublishedPipelineRecord>()({
    method: 'POST', path: '/sdk/publish-run',
    args: z.strictObject({
      id: runId,
      publishName: objectName('a published pipeline name'),
      description: description.optional(),
      version: objectName('a version').optional(),
      continueOnStepFailure: z.boolean().optional(),
    }),
    summary: 'publish the definition and the code snapshots a pipeline run used (not the current folders)',
  }),
  'sdk/published-yaml': call<{ yaml: string }>()({
    method: 'GET', path: '/sdk/published-yaml/:id', args: z.strictObject({ id }),
    summary: "a published pipeline's definition text",
  }),
  'sdk/run': call<SdkRunRecord>()({
    method: 'GET', path: '/sdk/runs/:id', args: z.strictObject({ id: runId.describe('a pipeline run or step run id, or a unique prefix') }),
    summary: 'a pipeline run (with every step run) or a step run as the SDK reads it: status, properties, tags, metrics, inputs, outputs, log files',
  }),
  'sdk/run-metrics': call<Record<string, MetricValues>>()({
    method: 'GET', path: '/sdk/runs/:id/metrics', args: z.strictObject({ id: runId.describe('a pipeline run or step run id, or a unique prefix') }),
    summary: "Run.get_metrics: every value of each metric (Azure's shapes), by run id: the run and, for a pipeline run, each step run",
  }),
  'sdk/run-properties': call<Record<string, string>>()({
    method: 'POST', path: '/sdk/runs/:id/properties',
    args: z.strictObject({ id: runId, add: stringMap.optional() }),
    summary: "a run's properties after adding `add` (a key, once set, keeps its value: changing it is a conflict)",
  }),
  'sdk/environment-register': call<SdkEnvironmentRecord>()({
    method: 'POST', path: '/sdk/environments',
    args: z.strictObject({ name: safeText(TEXT_LIMITS.key).check(z.minLength(1)), definition: environmentDefinition }),
    summary: 'register an SDK Environment: its latest version when the definition is unchanged, else a new version',
  }),
  'sdk/environment-get': call<SdkEnvironmentRecord>()({
    method: 'GET', path: '/sdk/environments/:name',
    args: z.strictObject({ name: safeText(TEXT_LIMITS.key).check(z.minLength(1)), version: z.string().min(1).max(20).optional() }),
    summary: 'a registered environment (default: its latest version), or the millrace.yml environment of that name',
  }),
  'sdk/environment-list': call<SdkEnvironmentRecord[]>()({
    method: 'GET', path: '/sdk/environments', args: z.strictObject({}),
    summary: "millrace.yml's environments, then the latest version of each registered one",
  }),
  'tokens/sdk': call<{ name: string; token: string }>()({
    method: 'POST', path: '/tokens/sdk', args: z.strictObject({}),
    summary: "the azureml package's API token: minted once per workspace and cached owner-only in .millrace/; local callers only",
  }),
};
