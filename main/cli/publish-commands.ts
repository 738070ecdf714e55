// `millrace publish`, `millrace published list|show|disable|enable`, `millrace endpoint list|set-default`.
import type { Command } from 'commander';
import { azurePaths } from '../../shared/api/azure.js';
import { info, out, printJson, table } from './output.js';
import { type GlobalOptions, withSession } from './session.js';

const day = (iso: string) => iso.replace('T', ' ').slice(0, 19);

export function registerPublishCommands(program: Command): void {
  program
    .command('publish')
    .description('publish a pipeline: an immutable snapshot (definition + source directories) behind a REST endpoint')
    .argument('<pipeline>', 'pipeline YAML file (relative to the current folder or the workspace)')
    .requiredOption('--name <name>', 'published pipeline name')
    .option('--version <version>', 'version (default: the next integer for this name)')
    .option('--description <text>', "description (default: the pipeline's own)")
    .option('--endpoint <name>', 'also add it to this pipeline endpoint (created when new) as its default version')
    .option('--json', 'print {id, name, version, endpoint} as JSON')
    .action(async (file: string, o: { name: string; version?: string; description?: string; endpoint?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const rec = await s.call('published/create', { file, name: o.name, version: o.version, description: o.description, endpoint: o.endpoint }, { name: '--name', version: '--version', description: '--description', endpoint: '--endpoint', file: 'the pipeline file' });
        if (g.json) return printJson({ id: rec.id, name: rec.name, version: rec.version, endpoint: rec.endpoint });
        out(`Published ${rec.name} version ${rec.version}`);
        out(`  id        ${rec.id}`);
        out(`  endpoint  ${rec.endpoint}`);
        if (o.endpoint) out(`  pipeline endpoint '${o.endpoint}' (default: this version)  ${s.ctx.baseUrl}${azurePaths.endpointSubmitByName(o.endpoint)}`);
        info('Submit with POST and "Authorization: Bearer <token>" while `millrace serve` runs (millrace token create NAME).');
      });
    });

  const published = program.command('published').description('list, show, disable and enable published pipelines');
  published
    .command('list')
    .description('list published pipelines, newest first')
    .option('--name <name>', 'only this name')
    .option('--json', 'print JSON')
    .action(async (o: { name?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const list = await s.call('published/list', { name: o.name }, { name: '--name' });
        if (g.json) return printJson(list);
        if (!list.length) return info('No published pipelines yet. Publish one with: millrace publish pipelines/sample.yml --name NAME');
        out(table([['ID', 'NAME', 'VERSION', 'STATUS', 'ENDPOINTS', 'CREATED'], ...list.map((p) => [
          p.id, p.name, p.version, p.status, p.pipelineEndpoints.join(',') || '-', day(p.createdAt),
        ])]));
      });
    });
  published
    .command('show')
    .description('show a published pipeline')
    .argument('<id>', 'published pipeline id')
    .option('--json', 'print JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const p = await s.call('published/get', { id });
        if (g.json) return printJson(p);
        out(`${p.name} version ${p.version}  ${p.status}\n  id          ${p.id}\n  pipeline    ${p.pipeline} (from ${p.sourceFile})\n  endpoint    ${p.endpoint}\n  created     ${day(p.createdAt)}`);
        if (p.description) out(`  description ${p.description}`);
        const params = Object.entries(p.parameters);
        if (params.length) out(`  parameters  ${params.map(([k, v]) => `${k}: ${v.type}${v.default !== undefined ? ` = ${v.default}` : ''}`).join(', ')}`);
      });
    });
  for (const [verb, call] of [['disable', 'published/disable'], ['enable', 'published/enable']] as const) {
    published
      .command(verb)
      .description(verb === 'enable' ? 'enable a disabled published pipeline' : 'disable a published pipeline: submits answer 403 until it is enabled')
      .argument('<id>', 'published pipeline id')
      .option('--json', 'print the record as JSON')
      .action(async (id: string, _o: unknown, cmd: Command) => {
        const g = cmd.optsWithGlobals<GlobalOptions>();
        await withSession(g, async (s) => {
          const p = await s.call(call, { id });
          if (g.json) return printJson(p);
          out(`${p.name} version ${p.version} (${p.id}) is now ${p.status}`);
        });
      });
  }

  const endpoint = program.command('endpoint').description('list pipeline endpoints and choose their default versions');
  endpoint
    .command('list')
    .description('list pipeline endpoints')
    .option('--json', 'print JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const list = await s.call('endpoints/list', {});
        if (g.json) return printJson(list);
        if (!list.length) return info('No pipeline endpoints yet. Create one with: millrace publish FILE --name NAME --endpoint ENDPOINT');
        out(table([['NAME', 'DEFAULT', 'VERSIONS', 'ENDPOINT'], ...list.map((e) => [e.name, e.defaultVersion, e.versions.map((v) => v.version).join(','), e.endpoint])]));
      });
    });
  endpoint
    .command('set-default')
    .description('make a version the default of a pipeline endpoint')
    .argument('<endpoint>', 'endpoint name or id')
    .argument('<version>', 'one of its versions')
    .option('--json', 'print the endpoint record as JSON')
    .action(async (name: string, version: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const e = await s.call('endpoints/set-default', { name, version });
        if (g.json) return printJson(e);
        out(`Pipeline endpoint '${e.name}' now runs version ${e.defaultVersion} by default`);
      });
    });
}
