// `millrace init` and `millrace dataset register|list`.
import type { Command } from 'commander';
import { DATASET_KINDS } from '../../shared/constants.js';
import { initWorkspace, resolveWorkspaceDir } from '../workspace/workspace.js';
import { info, out, printJson, table } from './output.js';
import { type GlobalOptions, withSession } from './session.js';

export function registerWorkspaceCommands(program: Command): void {
  program
    .command('init')
    .description('create a workspace with a sample pipeline (default: ~/Millrace)')
    .argument('[dir]', 'folder of the new workspace')
    .option('--json', 'print {dir, created} as JSON')
    .action((dir: string | undefined, _o: unknown, cmd: Command) => {
      // Before any workspace exists: the one command that is not a call of the core.
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const r = initWorkspace(dir ?? resolveWorkspaceDir(g.workspace).dir);
      if (g.json) return printJson(r);
      if (r.created) {
        out(`Created workspace ${r.dir}`);
        out(`Run the sample pipeline with: millrace run pipelines/sample.yml -w ${r.dir}`);
      } else {
        out(`${r.dir} is already a workspace; nothing changed`);
      }
    });

  const dataset = program.command('dataset').description('register and list datasets');
  dataset
    .command('register')
    .description('register a new version of a dataset: a named reference to a path on a datastore')
    .argument('<name>', 'dataset name (spaces allowed)')
    .requiredOption('--datastore <ds>', 'datastore name')
    .requiredOption('--path <p>', 'path on the datastore (file or folder)')
    .option('--kind <kind>', `${DATASET_KINDS.join(' or ')} (tabular = CSV/Parquet)`, 'file')
    .option('--description <text>', 'description')
    .option('--json', 'print the dataset record as JSON')
    .action(async (name: string, o: { datastore: string; path: string; kind: string; description?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const record = await s.call(
          'datasets/register',
          { name, datastore: o.datastore, path: o.path, kind: o.kind as never, description: o.description },
          { datastore: '--datastore', path: '--path', kind: '--kind', description: '--description', name: 'the dataset name' },
        );
        if (g.json) return printJson(record);
        out(record.created ? `Registered ${record.name} version ${record.version}` : `${record.name} version ${record.version} already points there; nothing changed`);
      });
    });
  dataset
    .command('list')
    .description('list datasets and their versions')
    .option('--json', 'print JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const list = await s.call('datasets/list', {});
        if (g.json) return printJson(list);
        if (!list.length) return info('No datasets yet. Register one with: millrace dataset register NAME --datastore default --path PATH');
        out(table([['NAME', 'VERSION', 'KIND', 'DATASTORE', 'PATH', 'CREATED'], ...list.map((d) => [d.name, String(d.version), d.kind, d.datastore, d.path, d.createdAt.slice(0, 19)])]));
      });
    });
}
