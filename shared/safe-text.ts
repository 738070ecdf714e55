// Text and names from a person, a file or a request, checked where they enter: bounded in length,
// without NUL (no argv, environment or C string can hold one) and without lone surrogates (no
// encoding can write them), so a bad value is a 400 / exit 2 naming its field before anything
// runs; and names that cannot be mistaken for what every JavaScript object inherits.
import { z } from 'zod';
import { UserError, type ErrorCode } from './errors.js';

/** Documented limits, in characters (docs/pipelines.md, docs/rest-api.md). */
export const TEXT_LIMITS = {
  /** Pipeline, experiment and display names. */
  name: 256,
  /** Step, parameter, input, output, datastore, environment, compute and dataset names; env and tag keys. */
  key: 128,
  description: 10_000,
  tagValue: 4_096,
  /** Tags per submit. */
  tags: 100,
  /** Scripts, source directories, datastore paths. */
  path: 4_096,
  /**
   * One argument, env value or string parameter value: Linux refuses any single argv or
   * environment string over 128 KiB (E2BIG), and a character takes up to 4 bytes in UTF-8.
   */
  argument: 32_000,
} as const;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** What is wrong with a string's characters, or undefined. */
export function badCharacters(s: string): string | undefined {
  const nul = s.indexOf('\0');
  if (nul >= 0) return `contains a NUL character (\\u0000) at position ${nul}`;
  const m = LONE_SURROGATE.exec(s);
  if (m) return `contains a lone surrogate (\\u${m[0].charCodeAt(0).toString(16)}) at position ${m.index}: not valid Unicode text`;
  return undefined;
}

/** What is wrong with a string of at most `max` characters, or undefined. */
export function textProblem(s: string, max: number): string | undefined {
  if (s.length > max) return `is too long: at most ${max.toLocaleString('en-US')} characters, got ${s.length.toLocaleString('en-US')}`;
  return badCharacters(s);
}

/** Throws a UserError naming `field` when `value` is too long or holds NUL / a lone surrogate. */
export function checkText(field: string, value: string, max: number, code: ErrorCode = 'invalid_input'): void {
  const why = textProblem(value, max);
  if (why) throw new UserError(`${field} ${why}`, code);
}

/** A user-given string fit for a message: control characters and lone surrogates escaped, long ones cut. */
export function shown(s: string, max = 80): string {
  const cut = s.length > max ? `${s.slice(0, max - 20)}... (${s.length.toLocaleString('en-US')} characters)` : s;
  return cut.replace(/[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A string schema with a length bound and no NUL or lone surrogate. */
export function safeText(max: number) {
  return z.string().check((ctx) => {
    const why = textProblem(ctx.value, max);
    if (why) ctx.issues.push({ code: 'custom', message: why, input: ctx.value });
  });
}

/** A string, number or boolean (a YAML scalar, a parameter value); a string one is safe text of at most `max`. */
export function safeScalar(max: number = TEXT_LIMITS.argument) {
  return z.union([z.string(), z.number(), z.boolean()], { error: 'expected a string, number or boolean' }).check((ctx) => {
    const why = typeof ctx.value === 'string' ? textProblem(ctx.value, max) : undefined;
    if (why) ctx.issues.push({ code: 'custom', message: why, input: ctx.value });
  });
}

/**
 * An object keyed by names a user chose (parameters, steps, inputs, tags ...): each key a safe,
 * bounded string, never `__proto__` (zod and plain objects would drop it silently), and the result
 * has no prototype, so `toString` or `constructor` is a name like any other, never an inherited member.
 */
export function nameRecord<V extends z.ZodType>(value: V, o: { maxKey?: number; keyCheck?: (key: string) => string | undefined } = {}) {
  const maxKey = o.maxKey ?? TEXT_LIMITS.key;
  return z
    .preprocess((input, ctx) => {
      if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
      for (const key of Object.keys(input)) {
        const bad = key === '' ? 'may not be empty' : textProblem(key, maxKey);
        const why = key === '__proto__' ? "'__proto__' cannot be used as a name" : bad ? `a name ${bad}` : o.keyCheck?.(key);
        // `params.name`: the problem is the name itself, so a YAML position points at the key.
        if (why) ctx.issues.push({ code: 'custom', message: why, path: [key], input, params: { name: true } });
      }
      return input;
    }, z.record(z.string(), value))
    .transform((r) => Object.assign(Object.create(null) as Record<string, z.output<V>>, r));
}

/** `obj[key]` when it is obj's own property: an inherited `toString` is no parameter, step or datastore. */
export function ownValue<T>(obj: Readonly<Record<string, T>> | null | undefined, key: string): T | undefined {
  return obj && Object.hasOwn(obj, key) ? obj[key] : undefined;
}

/**
 * JSON.parse with every object made without a prototype, as the validators make their records:
 * a cached step, input or datastore named 'constructor' or 'toString' stays a name.
 */
export const parseWithoutPrototypes = (text: string): unknown =>
  JSON.parse(text, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.assign(Object.create(null), v) : v));
