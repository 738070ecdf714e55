// One line for a store that refuses writes: "disk full: <folder>" rather than a raw SQLITE_FULL.
const FULL = new Set(['SQLITE_FULL', 'ENOSPC', 'EDQUOT']);

export function isStoreFull(e: unknown): boolean {
  return FULL.has((e as { code?: string })?.code ?? '');
}

export function storeProblem(e: Error, workspaceDir: string): string {
  if (isStoreFull(e)) return `disk full: ${workspaceDir}`;
  return `cannot write the run store of ${workspaceDir}: ${e.message}`;
}
