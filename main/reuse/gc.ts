// `millrace gc` (docs/reuse.md): deletes the folders of runs reuse no longer needs, or that a
// retention policy lets go, and marks their outputs deleted; a run's record always stays.
// Without a policy a run goes when none of its step runs is the newest Completed source of its
// reuse key; with --keep-last / --older-than, the policy alone decides (what it keeps stays).
import { existsSync, lstatSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import type { GcResult, GcRunEntry } from '../../shared/api/reuse-records.js';
import { isTerminal } from '../../shared/constants.js';
import { UserError } from '../../shared/errors.js';
import type { GcRun } from '../store/reuse-store.js';
import type { Workspace } from '../workspace/workspace.js';

export interface GcOptions {
  /** Keep the newest N runs of each experiment. */
  keepLast?: number;
  /** Keep runs created less than this long ago (ms). */
  olderThanMs?: number;
  dryRun?: boolean;
  now?: number;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** "30d", "12h", "90m", "2w" as milliseconds. */
export function parseAge(text: string, where = '--older-than'): number {
  const m = /^(\d+)\s*([mhdw])$/.exec(text.trim());
  if (!m) throw new UserError(`${where}: expected a number and a unit (m, h, d or w), e.g. 30d; got '${text}'`, 'bad_usage');
  return Number(m[1]) * UNITS[m[2]];
}

/** Bytes under a path (links counted as themselves, never followed). */
export function diskUsage(path: string): number {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.size;
  let total = 0;
  for (const name of readdirSync(path)) total += diskUsage(join(path, name));
  return total;
}

const within = (p: string, root: string) => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
const overlaps = (a: string, b: string) => within(a, b) || within(b, a);

/** The source step runs reuse would pick today: per key, the newest Completed row's source. */
function reuseSources(runs: GcRun[]): Set<string> {
  const newest = new Map<string, { endedAt: number; source: string }>();
  for (const r of runs) {
    for (const s of r.steps) {
      if (s.status !== 'Completed' || !s.reuseKey || s.outputsDeletedAt != null) continue;
      const prev = newest.get(s.reuseKey);
      if (!prev || (s.endedAt ?? 0) > prev.endedAt) newest.set(s.reuseKey, { endedAt: s.endedAt ?? 0, source: s.reusedFrom ?? s.id });
    }
  }
  return new Set([...newest.values()].map((v) => v.source));
}

/** Folders a registered dataset version names (their fixed part, before any glob). */
function datasetRoots(ws: Workspace): string[] {
  const roots: string[] = [];
  for (const p of ws.store.reuse.datasetPaths()) {
    try {
      const fixed = p.path.split('/').filter(Boolean);
      const cut = fixed.findIndex((seg) => /[*?[{]/.test(seg));
      roots.push(join(ws.datastorePath(p.datastore), ...(cut < 0 ? fixed : fixed.slice(0, cut))));
    } catch {
      /* a datastore no longer configured: nothing of it can be deleted either */
    }
  }
  return roots;
}

export function planGc(ws: Workspace, o: GcOptions = {}): GcResult {
  const now = o.now ?? Date.now();
  const policy = o.keepLast !== undefined || o.olderThanMs !== undefined;
  const runs = ws.store.reuse.gcRuns();
  const sources = reuseSources(runs);
  const rank = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const r of runs) {
    const n = (seen.get(r.experiment) ?? 0) + 1; // runs come newest first
    seen.set(r.experiment, n);
    rank.set(r.id, n);
  }
  const keptByPolicy = (r: GcRun) =>
    (o.keepLast !== undefined && rank.get(r.id)! <= o.keepLast) || (o.olderThanMs !== undefined && r.createdAt > now - o.olderThanMs);
  const needed = (r: GcRun) => r.steps.some((s) => sources.has(s.id));
  const goes = (r: GcRun) => isTerminal(r.status) && !keptByPolicy(r) && (policy || !needed(r));

  const going = runs.filter(goes);
  const goingIds = new Set(going.map((r) => r.id));
  // Whatever a kept run's steps point at stays, even when another run made it (reuse) or shares it (a fixed output path).
  const keep = [...datasetRoots(ws), ...runs.filter((r) => !goingIds.has(r.id)).flatMap((r) => r.steps.flatMap((s) => Object.values(s.outputs)))];
  const entries: GcRunEntry[] = [];
  for (const r of going.reverse()) {
    const paths: string[] = [];
    const runDir = ws.runDir(r.id);
    if (existsSync(runDir)) paths.push(runDir);
    for (const s of r.steps) {
      if (s.reusedFrom || s.outputsDeletedAt != null) continue;
      for (const folder of Object.values(s.outputs)) {
        if (existsSync(folder) && !keep.some((k) => overlaps(folder, k)) && !paths.includes(folder)) paths.push(folder);
      }
    }
    if (!paths.length) continue;
    entries.push({
      runId: r.id, experiment: r.experiment, status: r.status, createdAt: new Date(r.createdAt).toISOString(),
      reason: policy ? 'outside the retention policy' : r.status === 'Completed' ? 'not needed for reuse (a newer run has the same results)' : `not needed for reuse (${r.status})`,
      paths, bytes: paths.reduce((n, p) => n + diskUsage(p), 0),
    });
  }
  return { dryRun: !!o.dryRun, runs: entries, paths: entries.flatMap((e) => e.paths), bytes: entries.reduce((n, e) => n + e.bytes, 0) };
}

/** Plans, then (unless dryRun) deletes the folders and marks the step runs whose outputs went. */
export function runGc(ws: Workspace, o: GcOptions = {}): GcResult {
  const plan = planGc(ws, o);
  if (o.dryRun) return plan;
  const removed = new Set<string>();
  for (const p of plan.paths) {
    rmSync(p, { recursive: true, force: true });
    removed.add(p);
    // azureml/<step run id>/ held only that step run's outputs: do not leave it behind empty.
    const parent = dirname(p);
    if (basename(dirname(parent)) === 'azureml' && readdirSync(parent).length === 0) rmdirSync(parent);
  }
  const runs = ws.store.reuse.gcRuns().filter((r) => plan.runs.some((e) => e.runId === r.id));
  const marked = runs.flatMap((r) => r.steps.filter((s) => !s.reusedFrom && Object.values(s.outputs).some((f) => removed.has(f))).map((s) => s.id));
  ws.store.reuse.markOutputsDeleted(marked, o.now ?? Date.now());
  return plan;
}

/** Bytes each experiment's runs take: run folders and the output folders their own steps made. */
export function experimentUsage(ws: Workspace): { experiment: string; runs: number; bytes: number }[] {
  const by = new Map<string, { runs: number; bytes: number }>();
  for (const r of ws.store.reuse.gcRuns()) {
    const u = by.get(r.experiment) ?? { runs: 0, bytes: 0 };
    u.runs++;
    u.bytes += diskUsage(ws.runDir(r.id));
    for (const s of r.steps) if (!s.reusedFrom && s.outputsDeletedAt == null) for (const f of Object.values(s.outputs)) u.bytes += diskUsage(f);
    by.set(r.experiment, u);
  }
  return [...by].map(([experiment, u]) => ({ experiment, ...u }));
}
