// Field schemas shared by the calls: the same schema accepts typed values (IPC) and query strings (HTTP GET).
import { z } from 'zod';
import { nameRecord, safeScalar, safeText, TEXT_LIMITS } from '../../safe-text.js';

/** An integer (a query string's digits too), with one message naming the range whatever is wrong. */
export const qint = (min: number, max: number) => {
  const error = `expected a whole number from ${min} to ${max}`;
  return z
    .union([z.int(), z.string().regex(/^-?\d+$/).transform(Number)], { error })
    .pipe(z.int().min(min, { error }).max(max, { error }));
};

/** One of a vocabulary, saying which: "expected perFile or batch". */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected ${values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}` : values[0]}` });

export const qbool = z
  .union([z.boolean(), z.enum(['true', 'false', '1', '0'], { error: 'expected true or false' })])
  .transform((v) => v === true || v === 'true' || v === '1');

export const id = z.string().min(1).max(200);
export const runId = id.describe('run id or a unique prefix of one');

/** Names of published pipelines, endpoints and tokens: what is safe in a URL segment and a table cell. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
export const objectName = (what: string) =>
  z.string().regex(NAME_PATTERN, `${what} must start with a letter or digit and hold only letters, digits, '_', '.' and '-' (at most 128)`);

export const paramValues = nameRecord(safeScalar());
export const tags = nameRecord(safeText(TEXT_LIMITS.tagValue).nullable()).refine((t) => Object.keys(t).length <= TEXT_LIMITS.tags, `at most ${TEXT_LIMITS.tags} tags`);
export const description = safeText(TEXT_LIMITS.description);
/** An experiment name: trimmed, 1 to 256 characters. */
export const experimentName = z.string().trim().min(1, 'may not be empty').pipe(safeText(TEXT_LIMITS.name));

/**
 * Dataset names (AZUREML.md section 10.3): 1-250 characters, spaces allowed; no control
 * characters, no '/', no leading or trailing space.
 */
export const datasetName = safeText(250).check(
  z.refine((s: string) => s.length > 0, 'a dataset name may not be empty'),
  z.refine((s: string) => !/[\u0000-\u001f\u007f/]/.test(s), "a dataset name holds no control characters and no '/'"),
  z.refine((s: string) => s.trim() === s, 'a dataset name has no leading or trailing space'),
);
