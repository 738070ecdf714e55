// How values read in tables and headers.
export function duration(ms: number | null | undefined): string {
  if (ms == null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  if (m < 60) return `${m}m ${Math.round((ms % 60_000) / 1000)}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function when(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const t = Date.parse(iso);
  const s = Math.round((now - t) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return new Date(t).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export const fullTime = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString() : '–');

export function value(v: unknown): string {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3 ? v.toExponential(3) : String(+v.toFixed(4));
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** The first 8 characters of a UUID (published pipelines); runs carry their own shortId. */
export const shortId = (id: string): string => id.slice(0, 8);

/** "1 step", "3 steps". */
export const plural = (n: number, word: string, many = `${word}s`): string => `${n.toLocaleString()} ${n === 1 ? word : many}`;

/** A step's attempt as the overview shows it: a reused step ran no attempt of its own. */
export function attemptText(s: { attempt: number; reusedFrom: string | null; exitCode: number | null }): string {
  if (s.reusedFrom) return 'none (reused)';
  if (s.attempt < 1) return 'not started';
  return `${s.attempt}${s.exitCode !== null ? ` · exit code ${s.exitCode}` : ''}`;
}
