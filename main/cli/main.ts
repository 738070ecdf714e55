// The `millrace` command line (DESIGN.md section 6). Exit codes: 0 ok, 1 run failed/canceled, 2 bad usage or input.
import { Command, CommanderError } from 'commander';
import { exitCodeOf, UserError } from '../../shared/errors.js';
import { isStoreFull } from '../executor/store-problem.js';
import { millraceVersion } from '../package-root.js';
import { registerBridgeCommands } from './bridge-commands.js';
import { registerModelCommands } from './model-commands.js';
import { registerPublishCommands } from './publish-commands.js';
import { registerPythonCommands, runPython } from './python-commands.js';
import { registerReuseCommands } from './reuse-commands.js';
import { registerRunCommands } from './run-commands.js';
import { registerRunnerCommands } from './runner-commands.js';
import { registerScheduleCommands } from './schedule-commands.js';
import { registerServeCommands } from './serve-commands.js';
import { registerTokenCommands } from './token-commands.js';
import { registerWorkspaceCommands } from './workspace-commands.js';

export function buildProgram(): Command {
  const program = new Command('millrace')
    .description('Local-first ML pipelines: run, reuse, publish and schedule Azure ML style pipelines offline')
    .option('-w, --workspace <dir>', 'workspace folder (default: $MILLRACE_WORKSPACE, the current folder if it holds millrace.yml, else ~/Millrace)')
    // `publish --version 1.0` is publish's own option: Millrace's version is asked for alone (main()).
    .addHelpText('after', "\nmillrace --version (or -V), alone, prints Millrace's version.")
    .showHelpAfterError()
    .exitOverride();
  registerWorkspaceCommands(program);
  registerRunCommands(program);
  registerScheduleCommands(program);
  registerPublishCommands(program);
  registerTokenCommands(program);
  registerServeCommands(program);
  registerRunnerCommands(program);
  registerBridgeCommands(program);
  registerModelCommands(program);
  registerReuseCommands(program);
  registerPythonCommands(program);
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

/**
 * `millrace [-w DIR] python ARGS...`: python's arguments (`-m`, `-w`, `--help` ...) are its own,
 * so they never reach commander. Returns the arguments after `python`, or undefined.
 */
function pythonInvocation(argv: readonly string[]): { workspace?: string; args: string[] } | undefined {
  let workspace: string | undefined;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '-w' || a === '--workspace') && i + 1 < argv.length) workspace = argv[++i];
    else if (a.startsWith('--workspace=')) workspace = a.slice('--workspace='.length);
    else return a === 'python' ? { workspace, args: argv.slice(i + 1) } : undefined;
  }
  return undefined;
}

export async function main(argv = process.argv): Promise<void> {
  try {
    if (argv.length === 3 && (argv[2] === '--version' || argv[2] === '-V')) {
      process.stdout.write(`${millraceVersion()}\n`);
      return;
    }
    const py = pythonInvocation(argv);
    if (py) {
      process.exitCode = await runPython(py.args, py.workspace);
      return;
    }
    await buildProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof UserError) {
      process.stderr.write(`millrace: ${e.message}\n`);
      process.exitCode = exitCodeOf(e.code);
      return;
    }
    if (isStoreFull(e)) {
      process.stderr.write(`millrace: disk full: ${(e as Error).message}\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`millrace: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  }
}

await main();
