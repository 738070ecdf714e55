// Recent workspaces (File > Open Recent) and which workspace the app opens on start.
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export const MAX_RECENT = 10;

/** A saved list (any JSON) as a clean list of absolute paths, newest first, no duplicates. */
export function parseRecent(saved: unknown): string[] {
  const list = Array.isArray(saved) ? saved : (saved as { recent?: unknown } | undefined)?.recent;
  if (!Array.isArray(list)) return [];
  const out: string[] = [];
  for (const v of list) if (typeof v === 'string' && v && !out.includes(resolve(v))) out.push(resolve(v));
  return out.slice(0, MAX_RECENT);
}

export const addRecent = (list: string[], dir: string): string[] =>
  [resolve(dir), ...list.filter((d) => d !== resolve(dir))].slice(0, MAX_RECENT);

export const removeRecent = (list: string[], dir: string): string[] => list.filter((d) => d !== resolve(dir));

export const defaultWorkspaceDir = (home = homedir()): string => join(home, 'Millrace');

export interface StartWorkspaceInput {
  /** --workspace on the command line. */
  flag?: string;
  env: NodeJS.ProcessEnv;
  recent: string[];
  /** Whether a folder holds a workspace (millrace.yml). */
  isWorkspace(dir: string): boolean;
  home?: string;
}

/**
 * The workspace to open on start: --workspace, $MILLRACE_WORKSPACE, the most recent one that still
 * exists, else ~/Millrace (`create`: it is made, with the sample, on first start).
 */
export function startWorkspace(i: StartWorkspaceInput): { dir: string; create: boolean } {
  const explicit = i.flag ?? i.env.MILLRACE_WORKSPACE;
  if (explicit) return { dir: resolve(explicit), create: false };
  const last = i.recent.find((d) => i.isWorkspace(d));
  if (last) return { dir: last, create: false };
  const dir = defaultWorkspaceDir(i.home);
  return { dir, create: !i.isWorkspace(dir) };
}
