// `millrace bridge --stdio` (internal): the stdio transport the azureml package talks to (docs/bridge.md).
import type { Command } from 'commander';
import { UserError } from '../../shared/errors.js';
import type { GlobalOptions } from './session.js';

export function registerBridgeCommands(program: Command): void {
  program
    .command('bridge')
    .description("internal: the azureml package's way in: JSON lines {id, name, args} on stdin, answers on stdout (docs/bridge.md)")
    .option('--stdio', 'speak over stdin and stdout (the only transport)')
    .action(async (o: { stdio?: boolean }, cmd: Command) => {
      if (!o.stdio) throw new UserError('bridge: give --stdio', 'bad_usage');
      const g = cmd.optsWithGlobals<GlobalOptions>();
      // stdout carries protocol lines only: anything else a library prints goes to stderr.
      const stdout = process.stdout;
      const protocol = stdout.write.bind(stdout);
      const output = { write: (chunk: string, cb: () => void) => protocol(chunk, cb) } as unknown as NodeJS.WritableStream;
      stdout.write = ((chunk: unknown, ...rest: unknown[]) => (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof stdout.write;
      // Loaded here, not at start-up: other commands never pay for the bridge (issue 13).
      const [{ serveStdio }, { resolveWorkspaceDir }] = await Promise.all([import('../bridge/stdio-bridge.js'), import('../workspace/workspace.js')]);
      await serveStdio(resolveWorkspaceDir(g.workspace).dir, {
        input: process.stdin,
        output: output as never,
        warn: (line) => void process.stderr.write(line.endsWith('\n') ? line : `${line}\n`),
      });
    });
}
