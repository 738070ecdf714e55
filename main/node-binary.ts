import { join } from 'node:path';
import { packageRoot } from './package-root.js';

// The Node.js binary that runs Millrace's own CLI in a child process (the detached runner, the
// steps' MILLRACE_CLI). Under Electron, process.execPath is the app itself, which must never be
// run as Node (the RunAsNode fuse is off): there it is `node` on PATH, or MILLRACE_NODE.
export function nodeBinary(env: NodeJS.ProcessEnv = process.env): string {
  if (process.versions.electron) return env.MILLRACE_NODE || 'node';
  return process.execPath;
}

/** The command line of this Millrace's CLI as a JSON-able argv (what MILLRACE_CLI holds, AZUREML.md section 10.1). */
export function millraceCli(env: NodeJS.ProcessEnv = process.env): string[] {
  return [nodeBinary(env), join(packageRoot(), 'bin', 'millrace.js')];
}
