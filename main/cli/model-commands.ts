// `millrace model list|show` (AZUREML.md section 10.4h): the model registry.
import type { Command } from 'commander';
import type { ModelRecord } from '../../shared/api/sdk-records.js';
import { UserError } from '../../shared/errors.js';
import { info, out, printJson, table } from './output.js';
import { type GlobalOptions, withSession } from './session.js';

const kv = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k}=${v}`).join(', ') || '-';

function describe(m: ModelRecord): string {
  const lines = [
    `Model ${m.id}`,
    `  path         ${m.path}`,
    `  created      ${m.createdAt}`,
    `  run          ${m.runId ?? '-'}${m.experiment ? ` (experiment '${m.experiment}')` : ''}`,
    `  tags         ${kv(m.tags)}`,
    `  properties   ${kv(m.properties)}`,
  ];
  if (m.description) lines.push(`  description  ${m.description}`);
  if (m.framework) lines.push(`  framework    ${m.framework}${m.frameworkVersion ? ` ${m.frameworkVersion}` : ''}`);
  return lines.join('\n');
}

/** NAME or NAME:VERSION (a model name holds no ':'). */
export function parseModelRef(ref: string): { name: string; version?: number } {
  const at = ref.lastIndexOf(':');
  if (at < 0) return { name: ref };
  const v = ref.slice(at + 1);
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new UserError(`expected NAME or NAME:VERSION (a version is a whole number from 1), got '${ref}'`, 'bad_usage');
  return { name: ref.slice(0, at), version: Number(v) };
}

export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('list and show registered models (Model.register of the azureml package)');
  model
    .command('list')
    .description('list model versions, newest first')
    .option('--name <name>', 'only the versions of this model')
    .option('--json', 'print JSON: [{name, version, id, path, tags, properties, description, runId, experiment, createdAt, ...}]')
    .action(async (o: { name?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const list = await s.call('models/list', { name: o.name }, { name: '--name' });
        if (g.json) return printJson(list);
        if (!list.length) return info(o.name ? `No model named '${o.name}'` : 'No models yet. Register one with Model.register(...) of the azureml package');
        out(table([['NAME', 'VERSION', 'RUN', 'TAGS', 'CREATED'], ...list.map((m) => [m.name, String(m.version), m.runId ?? '-', kv(m.tags), m.createdAt.replace('T', ' ').slice(0, 19)])]));
      });
    });
  model
    .command('show')
    .description('show a model version (default: the latest)')
    .argument('<model>', 'NAME or NAME:VERSION')
    .option('--json', 'print JSON: the model record')
    .action(async (ref: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const { name, version } = parseModelRef(ref);
      await withSession(g, async (s) => {
        const m = await s.call('models/get', { name, version }, { name: 'the model name', version: 'the version' });
        if (g.json) printJson(m);
        else out(describe(m));
      });
    });
}
