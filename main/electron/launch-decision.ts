// `npm start`: launch the desktop app, or say in one line why it cannot run here and serve the
// same UI with `millrace serve`. Pure: scripts/start.mjs gathers the facts and acts.

export interface LaunchFacts {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  /** The Electron executable, when node_modules/electron has one (path.txt + dist/). */
  electronBinary: string | null;
  /** Set after a download attempt failed (offline), with its reason. */
  downloadError?: string;
  /** Set when better-sqlite3 for Electron's ABI could not be obtained. */
  nativeError?: string;
}

export type LaunchDecision =
  | { mode: 'electron'; binary: string }
  | { mode: 'download' }
  | { mode: 'serve'; reason: string };

export function hasDisplay(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return !!(env.DISPLAY || env.WAYLAND_DISPLAY);
}

export function launchDecision(f: LaunchFacts): LaunchDecision {
  if (f.env.MILLRACE_NO_ELECTRON) return { mode: 'serve', reason: 'MILLRACE_NO_ELECTRON is set' };
  if (!hasDisplay(f.platform, f.env)) return { mode: 'serve', reason: 'no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  if (f.downloadError) return { mode: 'serve', reason: `the Electron binary could not be downloaded (${f.downloadError})` };
  if (!f.electronBinary) return { mode: 'download' };
  if (f.nativeError) return { mode: 'serve', reason: `better-sqlite3 could not be built for Electron (${f.nativeError})` };
  return { mode: 'electron', binary: f.electronBinary };
}

/** The one line printed before falling back. */
export const fallbackLine = (reason: string): string =>
  `millrace: cannot start the desktop app: ${reason}; serving the same UI with \`millrace serve\` instead (open the URL below)`;
