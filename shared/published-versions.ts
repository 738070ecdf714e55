// The version a publish gets when none is given: the name's newest numbered version (1, 1.0, 2.0.1;
// compared as numbers) with its first number raised and the rest zeroed, in the same shape —
// "1.0" -> "2.0", "3" -> "4". Names without numbered versions start at "1". The UI shows it as the
// placeholder of its version field, so what it says is what the core does.

const NUMBERED = /^\d+(\.\d+)*$/;

const parts = (v: string): number[] => v.split('.').map(Number);

function newer(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? -1;
    const y = b[i] ?? -1;
    if (x !== y) return x > y;
  }
  return false;
}

export function nextVersion(existing: readonly string[]): string {
  let latest: number[] | undefined;
  for (const v of existing) if (NUMBERED.test(v) && (!latest || newer(parts(v), latest))) latest = parts(v);
  if (!latest) return '1';
  return [latest[0] + 1, ...latest.slice(1).map(() => 0)].join('.');
}
