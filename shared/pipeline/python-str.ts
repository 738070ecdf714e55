// Parameter values as Python's str() renders them (argument_style: azureml): what a script
// written for the Azure ML SDK receives in its argv (True/False, 1.0, 1e-05).
import type { ParameterType } from '../constants.js';

/** Python's repr of a float: the shortest round-trip digits, fixed for 1e-4 <= |x| < 1e16, always a '.' or an exponent. */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant, expText] = x.toExponential().split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  if (exp >= 16 || exp < -4) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${neg ? '-' : ''}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  let s: string;
  if (exp < 0) s = `0.${'0'.repeat(-exp - 1)}${digits}`;
  else if (digits.length <= exp + 1) s = `${digits}${'0'.repeat(exp + 1 - digits.length)}.0`;
  else s = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return `${neg ? '-' : ''}${s}`;
}

export function pythonStr(value: string | number | boolean, type: ParameterType | undefined): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return type === 'number' || !Number.isInteger(value) ? pythonFloat(value) : String(value);
  return value;
}
