// A submit form generated from a pipeline's parameter declarations. Values are checked with the
// core's own coercion (shared/params.ts), so what the form accepts is exactly what a submit accepts.
import { coerceParameter, type ParamValue } from '../../../shared/params.js';
import type { ParameterSpec } from '../../../shared/pipeline/schema.js';

export type FieldKind = 'boolean' | 'enum' | 'number' | 'integer' | 'path' | 'string';

export function fieldKind(spec: ParameterSpec): FieldKind {
  if (spec.type === 'boolean') return 'boolean';
  if (spec.enum) return 'enum';
  return spec.type;
}

const asText = (v: ParamValue | undefined): string => (v === undefined ? '' : String(v));

export class ParamForm {
  /** Text of each field (booleans as true/false). */
  values = $state<Record<string, string | boolean>>({});
  /** Fields the user changed (errors show once touched or after a submit attempt). */
  touched = $state<Record<string, boolean>>({});
  attempted = $state(false);

  constructor(
    readonly specs: Record<string, ParameterSpec>,
    initial: Record<string, unknown> = {},
  ) {
    const values: Record<string, string | boolean> = {};
    for (const [name, spec] of Object.entries(specs)) {
      const given = Object.hasOwn(initial, name) ? (initial[name] as ParamValue) : spec.default;
      values[name] = spec.type === 'boolean' ? given === true || given === 'true' : asText(given);
    }
    this.values = values;
  }

  get names(): string[] {
    return Object.keys(this.specs);
  }

  /** The problem with one field, or null. */
  errorOf(name: string): string | null {
    const spec = this.specs[name];
    const raw = this.values[name];
    if (raw === '' && spec.type !== 'string') return spec.default === undefined ? 'a value is required' : `a value is required (default: ${spec.default})`;
    try {
      coerceParameter(name, spec, raw);
      return null;
    } catch (e) {
      return (e as Error).message.replace(/^parameter '[^']*': /, '');
    }
  }

  /** Errors to show now: touched fields, or all after a submit attempt. */
  visibleError(name: string): string | null {
    return this.attempted || Object.hasOwn(this.touched, name) ? this.errorOf(name) : null;
  }

  get errors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const n of this.names) {
      const e = this.errorOf(n);
      if (e) out[n] = e;
    }
    return out;
  }

  get valid(): boolean {
    return Object.keys(this.errors).length === 0;
  }

  set(name: string, value: string | boolean): void {
    this.values = { ...this.values, [name]: value };
    this.touched = { ...this.touched, [name]: true };
  }

  reset(): void {
    const values: Record<string, string | boolean> = {};
    for (const [name, spec] of Object.entries(this.specs)) values[name] = spec.type === 'boolean' ? spec.default === true : asText(spec.default);
    this.values = values;
    this.touched = {};
    this.attempted = false;
  }

  /** Typed values for runs/submit; throws when a value is invalid (check `valid` first). */
  toParameters(): Record<string, ParamValue> {
    const out: Record<string, ParamValue> = {};
    for (const n of this.names) out[n] = coerceParameter(n, this.specs[n], this.values[n]);
    return out;
  }
}
