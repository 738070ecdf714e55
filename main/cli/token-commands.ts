// `millrace token create|list|revoke`: bearer tokens for the REST API, stored hashed.
import type { Command } from 'commander';
import { info, out, printJson, table } from './output.js';
import { type GlobalOptions, withSession } from './session.js';

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('create, list and revoke API tokens');
  token
    .command('create')
    .description('create a bearer token; it is printed once and only its hash is stored')
    .argument('<name>', 'a name for it (shown in runs it starts, e.g. ci-bot)')
    .option('--json', 'print {name, token} as JSON')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const t = await s.call('tokens/create', { name }, { name: 'the token name' });
        if (g.json) return printJson(t);
        info(`Created token '${t.name}'. It is shown only now; store it somewhere safe:`);
        out(t.token);
      });
    });
  token
    .command('list')
    .description('list tokens (names and dates; the secrets are not stored)')
    .option('--all', 'include revoked tokens')
    .option('--json', 'print JSON')
    .action(async (o: { all?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const list = await s.call('tokens/list', { includeRevoked: !!o.all });
        if (g.json) return printJson(list);
        if (!list.length) return info('No tokens yet. Create one with: millrace token create NAME');
        const d = (v: string | null) => (v ? v.replace('T', ' ').slice(0, 19) : '-');
        out(table([['NAME', 'CREATED', 'LAST USED', ...(o.all ? ['REVOKED'] : [])], ...list.map((t) => [t.name, d(t.createdAt), d(t.lastUsedAt), ...(o.all ? [d(t.revokedAt)] : [])])]));
      });
    });
  token
    .command('revoke')
    .description('revoke a token: requests with it get 401 from then on')
    .argument('<name>', 'token name')
    .option('--json', 'print the revoked token record as JSON')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const t = await s.call('tokens/revoke', { name });
        if (g.json) return printJson(t);
        out(`Revoked token '${t.name}'`);
      });
    });
}
