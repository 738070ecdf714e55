// The `millrace` command line (DESIGN.md section 6). Exit codes: 0 ok, 1 run failed/canceled, 2 bad usage or input.
import { Command, CommanderError } from 'commander';
import { exitCodeOf, UserError } from '../../shared/errors.js';
import { isStoreFull } from '../executor/store-problem.js';
import { registerBridgeCommands } from './bridge-commands.js';
import { registerPublishCommands } from './publish-commands.js';
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
  for (const c of program.commands) {
    c.exitOverride();
    for (const sub of c.commands) sub.exitOverride();
  }
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  try {
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
