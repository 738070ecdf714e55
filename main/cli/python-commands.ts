// `millrace python [-e ENV] [ARGS...]` and `millrace env [--json]` (AZUREML.md section 10.1): the
// python of a millrace.yml environment, or any shell, with the azureml package active: PYTHONPATH
// (prepended), MILLRACE_WORKSPACE and MILLRACE_CLI. `python` takes its own arguments from the raw
// command line (main.ts hands them over before commander sees them): everything after the first
// argument that is not `-e`/`--environment` is python's, `-w` and `-m` included.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Command } from 'commander';
import { UserError } from '../../shared/errors.js';
import { ownValue } from '../../shared/safe-text.js';
import { nodeBinary } from '../node-binary.js';
import { packageRoot, pythonRuntimeDir } from '../package-root.js';
import { out, printJson } from './output.js';
import { type GlobalOptions, openWorkspace } from './session.js';

export interface SdkEnvironment {
  PYTHONPATH: string;
  MILLRACE_WORKSPACE: string;
  MILLRACE_CLI: string;
}

/** The three variables, PYTHONPATH with the runtime folder put first. */
export function sdkEnvironment(workspace: string, env: NodeJS.ProcessEnv = process.env): SdkEnvironment {
  const runtime = pythonRuntimeDir();
  const rest = (env.PYTHONPATH ?? '').split(delimiter).filter((p) => p && p !== runtime);
  return {
    PYTHONPATH: [runtime, ...rest].join(delimiter),
    MILLRACE_WORKSPACE: workspace,
    MILLRACE_CLI: JSON.stringify([nodeBinary(env), join(packageRoot(), 'bin', 'millrace.js')]),
  };
}

/** A POSIX shell word: single-quoted, quotes inside closed and reopened. */
const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Our own flags of `millrace python`, then python's arguments. */
export function splitPythonArgs(args: readonly string[]): { environment: string; workspace?: string; rest: string[] } {
  let environment = 'default';
  let workspace: string | undefined;
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    const value = (flag: string) => {
      if (i + 1 >= args.length) throw new UserError(`${flag}: give a value`, 'bad_usage');
      return args[++i];
    };
    if (a === '-e' || a === '--environment') environment = value(a);
    else if (a.startsWith('--environment=')) environment = a.slice('--environment='.length);
    else if (a === '-w' || a === '--workspace') workspace = value(a);
    else if (a.startsWith('--workspace=')) workspace = a.slice('--workspace='.length);
    else if (a === '--') {
      i++;
      break;
    } else break;
  }
  return { environment, workspace, rest: args.slice(i) };
}

/**
 * Runs the environment's python with stdio inherited and returns its exit code (a child killed by
 * a signal: that signal is raised on this process, as a shell would see it). SIGTERM is forwarded;
 * SIGINT too, unless a terminal already sent Ctrl-C to the child (same process group, stdin a TTY),
 * where a second one would stop Jupyter without its "Shutdown this server?" question.
 */
export async function runPython(args: readonly string[], globalWorkspace?: string): Promise<number> {
  const { environment, workspace, rest } = splitPythonArgs(args);
  const ws = openWorkspace({ workspace: workspace ?? globalWorkspace });
  let python: string;
  let envVars: Record<string, string>;
  try {
    const env = ownValue(ws.config.environments, environment);
    if (!env) throw new UserError(`-e: no environment '${environment}' in ${join(ws.dir, 'millrace.yml')} (it has: ${Object.keys(ws.config.environments).join(', ')})`, 'bad_usage');
    python = env.python;
    envVars = { ...env.env };
  } finally {
    ws.close();
  }
  const child = spawn(python, rest, { stdio: 'inherit', env: { ...process.env, ...envVars, ...sdkEnvironment(ws.dir) } });
  const forward = (signal: NodeJS.Signals) => () => {
    if (signal === 'SIGINT' && process.stdin.isTTY) return; // the terminal's Ctrl-C reached the child already
    child.kill(signal);
  };
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on('error', (e) => reject(new UserError(`cannot start ${python}: ${(e as NodeJS.ErrnoException).code ?? e.message}`, 'bad_usage')));
      child.on('exit', (code, signal) => {
        if (signal) {
          for (const [s, h] of handlers) process.off(s, h);
          process.kill(process.pid, signal);
          resolve(128 + (constants.signals[signal] ?? 0));
        } else resolve(code ?? 1);
      });
    });
  } finally {
    for (const [s, h] of handlers) process.off(s, h);
  }
}

export function registerPythonCommands(program: Command): void {
  program
    .command('python')
    .description("run python with the azureml package active: millrace.yml environment ENV's interpreter (-e ENV, default 'default'); every other argument is python's")
    .usage('[-e ENV] [ARGS...]')
    .allowUnknownOption()
    .helpOption(false)
    .argument('[args...]')
    .action(() => {
      // Reached only through buildProgram() in tests: main() runs `python` before commander parses.
      throw new UserError('millrace python: run through the millrace command', 'bad_usage');
    });
  program
    .command('env')
    .description('print PYTHONPATH, MILLRACE_WORKSPACE and MILLRACE_CLI as export lines, for eval "$(millrace env)"')
    .option('--json', 'print {PYTHONPATH, MILLRACE_WORKSPACE, MILLRACE_CLI}')
    .action((_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openWorkspace(g);
      const dir = ws.dir;
      ws.close();
      const vars = sdkEnvironment(dir);
      if (g.json) return printJson(vars);
      out(Object.entries(vars).map(([k, v]) => `export ${k}=${shellQuote(v)}`).join('\n'));
    });
}
