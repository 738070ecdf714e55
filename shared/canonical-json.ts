// Canonical JSON (docs/bridge.md): keys sorted, no insignificant spaces, UTF-8 as is — the same
// text as Python's json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False) for
// the values both sides hash (strings, integers, booleans, null, lists, objects).
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}
