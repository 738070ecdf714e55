// Field schemas of dataset definitions (AZUREML.md section 10.3): paths on datastores (globs
// allowed) and the read options of tabular data.
import { z } from 'zod';
import type { DatasetFormat } from '../sdk-records.js';
import { safeText, TEXT_LIMITS } from '../../safe-text.js';

export const datasetPaths = z
  .array(z.strictObject({ datastore: safeText(TEXT_LIMITS.key).check(z.minLength(1)), path: safeText(TEXT_LIMITS.path) }))
  .min(1, 'give at least one path')
  .max(1000);

export const DATASET_ENCODINGS = ['utf8', 'utf8bom', 'iso88591', 'latin1', 'ascii', 'utf16', 'utf32', 'windows1252'] as const;

export const datasetFormat: z.ZodType<DatasetFormat> = z.strictObject({
  type: z.enum(['delimited', 'parquet']),
  separator: z.string().min(1).max(10).optional(),
  header: z.boolean().optional(),
  encoding: z.enum(DATASET_ENCODINGS).optional(),
  includePath: z.boolean().default(false),
  pathGlob: safeText(TEXT_LIMITS.path).optional(),
}) as z.ZodType<DatasetFormat>;
