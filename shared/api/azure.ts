// The Azure ML compatible PipelineSubmit routes (DESIGN.md section 7): paths and the request body.
import { z } from 'zod';
import { nameRecord, safeScalar, safeText, TEXT_LIMITS } from '../safe-text.js';
import { tags } from './calls/fields.js';

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


/** Azure's DataPath: `{"DataStoreName": "default", "RelativePath": "raw"}`; a plain string is a path on the datastore the pipeline reads it from. */
export const dataPathSchema = z.union([
  safeText(TEXT_LIMITS.path),
  z.object({
    DataStoreName: safeText(TEXT_LIMITS.key).check(z.minLength(1)).optional(),
    RelativePath: safeText(TEXT_LIMITS.path),
  }),
], { error: 'expected a path string or {"DataStoreName": ..., "RelativePath": ...}' });
export type DataPathAssignment = z.infer<typeof dataPathSchema>;

/**
 * The body Azure ML's REST clients send. Keys Azure defines that Millrace has no use for
 * (RunSource, Properties, StepTags ...) are accepted and ignored, as Azure ignores what it does not need.
 */
export const azureSubmitBodySchema = z.object({
  ExperimentName: z
    .string({ error: 'ExperimentName is required (a string)' })
    .trim()
    .min(1, 'ExperimentName may not be empty')
    .pipe(safeText(TEXT_LIMITS.name)),
  ParameterAssignments: nameRecord(safeScalar()).optional(),
  DataPathAssignments: nameRecord(dataPathSchema).optional(),
  Description: safeText(TEXT_LIMITS.description).nullable().optional(),
  Tags: tags.nullable().optional(),
  /** Azure's "regenerate_outputs". */
  EnforceRerun: z.boolean().nullable().optional(),
  DataSetDefinitionValueAssignments: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type AzureSubmitBody = z.infer<typeof azureSubmitBodySchema>;

/** `?pipelineVersion=` of the endpoint routes. */
export const endpointQuerySchema = z.object({ pipelineVersion: z.string().min(1).optional() });
