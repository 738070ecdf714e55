// The Azure ML compatible PipelineSubmit routes (DESIGN.md section 7): paths and the request body.
import { z } from 'zod';

export const AZURE_PREFIX = '/pipelines/v1.0/PipelineRuns';
export const azurePaths = {
  publishedSubmit: (id: string) => `${AZURE_PREFIX}/PipelineSubmit/${encodeURIComponent(id)}`,
  endpointSubmitById: (id: string) => `${AZURE_PREFIX}/PipelineEndpointSubmit/Id/${encodeURIComponent(id)}`,
  endpointSubmitByName: (name: string) => `${AZURE_PREFIX}/PipelineEndpointSubmit/Name/${encodeURIComponent(name)}`,
};
/** The same routes as patterns for a router. */
export const AZURE_ROUTES = {
  publishedSubmit: `${AZURE_PREFIX}/PipelineSubmit/:id`,
  endpointSubmitById: `${AZURE_PREFIX}/PipelineEndpointSubmit/Id/:id`,
  endpointSubmitByName: `${AZURE_PREFIX}/PipelineEndpointSubmit/Name/:name`,
} as const;

const scalar = z.union([z.string(), z.number(), z.boolean()], {
  error: 'expected a string, number or boolean',
});

/** Azure's DataPath: `{"DataStoreName": "default", "RelativePath": "raw"}`; a plain string is a path on the datastore the pipeline reads it from. */
export const dataPathSchema = z.union([
  z.string(),
  z.object({
    DataStoreName: z.string().min(1).optional(),
    RelativePath: z.string(),
  }),
], { error: 'expected a path string or {"DataStoreName": ..., "RelativePath": ...}' });
export type DataPathAssignment = z.infer<typeof dataPathSchema>;

/**
 * The body Azure ML's REST clients send. Keys Azure defines that Millrace has no use for
 * (RunSource, Properties, StepTags ...) are accepted and ignored, as Azure ignores what it does not need.
 */
export const azureSubmitBodySchema = z.object({
  ExperimentName: z.string({ error: 'ExperimentName is required (a string)' }).trim().min(1, 'ExperimentName may not be empty').max(256),
  ParameterAssignments: z.record(z.string(), scalar).optional(),
  DataPathAssignments: z.record(z.string(), dataPathSchema).optional(),
  Description: z.string().max(10_000).nullable().optional(),
  Tags: z.record(z.string(), z.string().nullable()).nullable().optional(),
  /** Azure's "regenerate_outputs". */
  EnforceRerun: z.boolean().nullable().optional(),
  DataSetDefinitionValueAssignments: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type AzureSubmitBody = z.infer<typeof azureSubmitBodySchema>;

/** `?pipelineVersion=` of the endpoint routes. */
export const endpointQuerySchema = z.object({ pipelineVersion: z.string().min(1).optional() });
