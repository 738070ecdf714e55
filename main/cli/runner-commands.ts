// `millrace runner` (internal): started detached by millrace itself to drive runs that wait for an
// owner (docs/compute.md); its output goes to runs/runner.log.
import type { Command } from 'commander';
import type { GlobalOptions } from './session.js';

export function registerRunnerCommands(program: Command): void {
  program
    .command('runner', { hidden: true })
    .description('internal: drive the runs of the workspace that wait for an owner, then exit when idle')
    .action(async (_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const [{ recoverWorkspace }, { runWorkspaceRunner }, { resolveWorkspaceDir, Workspace }] = await Promise.all([
        import('../executor/recovery.js'), import('../executor/workspace-runner.js'), import('../workspace/workspace.js'),
      ]);
      // Not openWorkspace(): that would start another runner.
      const ws = Workspace.open(resolveWorkspaceDir(g.workspace).dir);
      try {
        recoverWorkspace(ws);
        await runWorkspaceRunner(ws);
      } finally {
        ws.close();
      }
    });
}
