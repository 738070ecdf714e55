// `millrace init` and `millrace dataset register|list`.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DATASET_KINDS, type DatasetKind } from '../../shared/constants.js';
import { UserError } from '../../shared/errors.js';
import { initWorkspace, resolveWorkspaceDir } from '../workspace/workspace.js';
import { openWorkspace, type GlobalOptions } from './context.js';
import { info, out, printJson, table } from './output.js';

export function registerWorkspaceCommands(program: Command): void {
  program
    .command('init')
    .description('create a workspace with a sample pipeline (default: ~/Millrace)')
    .argument('[dir]', 'folder of the new workspace')
    .option('--json', 'print {dir, created} as JSON')
    .action((dir: string | undefined, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const target = dir ?? resolveWorkspaceDir(g.workspace).dir;
      const r = initWorkspace(target);
      if (g.json) return printJson(r);
      if (r.created) {
        out(`Created workspace ${r.dir}`);
        out(`Run the sample pipeline with: npx millrace run pipelines/sample.yml -w ${r.dir}`);
      } else {
        out(`${r.dir} is already a workspace; nothing changed`);
      }
    });

  const dataset = program.command('dataset').description('register and list datasets');
  dataset
    .command('register')
    .description('register a new version of a dataset: a named reference to a path on a datastore')
    .argument('<name>', 'dataset name')
    .requiredOption('--datastore <ds>', 'datastore name')
    .requiredOption('--path <p>', 'path on the datastore (file or folder)')
    .option('--kind <kind>', `${DATASET_KINDS.join(' or ')} (tabular = CSV/Parquet)`, 'file')
    .option('--description <text>', 'description')
    .option('--json', 'print the dataset record as JSON')
    .action((name: string, o: { datastore: string; path: string; kind: string; description?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (!(DATASET_KINDS as readonly string[]).includes(o.kind)) throw new UserError(`--kind: expected ${DATASET_KINDS.join(' or ')}, got '${o.kind}'`, 'bad_usage');
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) throw new UserError(`dataset name '${name}' must match [A-Za-z_][A-Za-z0-9_.-]*`, 'bad_usage');
      const ws = openWorkspace(g);
      try {
        const full = resolve(ws.datastorePath(o.datastore), o.path);
        if (!existsSync(full)) throw new UserError(`--path: ${full} does not exist on datastore '${o.datastore}'`, 'not_found');
        const { record, created } = ws.store.datasets.register({ name, datastore: o.datastore, path: o.path, kind: o.kind as DatasetKind, description: o.description });
        if (g.json) return printJson(record);
        out(created ? `Registered ${record.name} version ${record.version}` : `${record.name} version ${record.version} already points there; nothing changed`);
      } finally {
        ws.close();
      }
    });
  dataset
    .command('list')
    .description('list datasets and their versions')
    .option('--json', 'print JSON')
    .action((_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openWorkspace(g);
      try {
        const list = ws.store.datasets.list();
        if (g.json) return printJson(list);
        if (!list.length) return info('No datasets yet. Register one with: millrace dataset register NAME --datastore default --path PATH');
        out(table([['NAME', 'VERSION', 'KIND', 'DATASTORE', 'PATH', 'CREATED'], ...list.map((d) => [d.name, String(d.version), d.kind, d.datastore, d.path, d.createdAt.slice(0, 19)])]));
      } finally {
        ws.close();
      }
    });
}
