// `millrace runs why`, `millrace gc` and `millrace lineage` (docs/reuse.md): reuse you can see.
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GcResult, LineageRecord, WhyRecord } from '../../shared/api/reuse-records.js';
import { UserError } from '../../shared/errors.js';
import { parseModelRef } from './model-commands.js';
import { info, out, printJson, table } from './output.js';
import { type GlobalOptions, withSession } from './session.js';

export function describeWhy(w: WhyRecord, showDiffs: boolean): string {
  const lines = [`Step ${w.step} of run ${w.runId}  ${w.status}`, `  ${w.summary}`];
  if (w.candidate) lines.push(`  ${w.outcome === 'reused' ? 'reused' : 'compared with'}  run ${w.candidate.runId} step ${w.candidate.step} (${w.candidate.status}${w.candidate.endedAt ? `, ended ${w.candidate.endedAt}` : ''})`);
  if (w.reasons.length) {
    lines.push('', '  Why it ran:');
    for (const r of w.reasons) {
      lines.push(`    - ${r.text}`);
      if (r.diff && showDiffs) lines.push(r.diff.replace(/\n$/, '').replace(/^/gm, '      '));
    }
  }
  if (w.matched.length) lines.push('', `  Matched: ${w.matched.join(', ')}`);
  return lines.join('\n');
}

export function registerWhyCommand(runs: Command): void {
  runs
    .command('why')
    .description('why a step was reused, or what differs from the run it would have reused')
    .argument('<run>', 'run id (or a unique prefix)')
    .argument('<step>', 'step name')
    .option('--against <run>', 'compare with this run instead of the newest earlier Completed run of the step')
    .option('--no-diff', 'leave out the diffs of changed code files')
    .option('--json', 'print JSON: {runId, step, outcome, candidate, matched, reasons: [{kind, text, diff}], summary}')
    .action(async (id: string, step: string, o: { against?: string; diff: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const w = await s.call('runs/why', { id, step, against: o.against }, { against: '--against', step: 'step' });
        if (g.json) printJson(w);
        else out(describeWhy(w, o.diff));
      });
    });
}

export const fmtBytes = (n: number): string =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${(n / 1024 ** 3).toFixed(2)} GiB`;

function describeGc(r: GcResult): string {
  if (!r.runs.length) return 'Nothing to delete.';
  const lines = [table([['RUN', 'EXPERIMENT', 'STATUS', 'CREATED', 'SIZE', 'WHY'], ...r.runs.map((e) => [
    e.runId, e.experiment, e.status, e.createdAt.replace('T', ' ').slice(0, 19), fmtBytes(e.bytes), e.reason,
  ])])];
  lines.push('', `${r.dryRun ? 'Would delete' : 'Deleted'} ${r.paths.length} folder${r.paths.length === 1 ? '' : 's'} of ${r.runs.length} run${r.runs.length === 1 ? '' : 's'}, ${fmtBytes(r.bytes)}${r.dryRun ? ' (dry run: nothing deleted)' : '; their records stay'}.`);
  if (r.dryRun) lines.push(...r.paths.map((p) => `  ${p}`));
  return lines.join('\n');
}

function describeLineage(l: LineageRecord): string {
  const lines = [l.target.dataset ? `Dataset ${l.target.dataset.name}:${l.target.dataset.version}  (${l.target.path})` : `Path ${l.target.path}`];
  const p = l.producer;
  if (!p) lines.push('  made by     no step run (data from outside a pipeline)');
  else {
    lines.push(`  made by     run ${p.runId} (${p.pipeline}, experiment '${p.experiment}'), step ${p.step}, output ${p.output}  ${p.status}`);
    lines.push(`  code        ${p.code.script ?? '-'}${p.code.snapshot ? `  snapshot ${p.code.snapshot.slice(0, 12)} (${p.code.files} files)` : ''}`);
    if (Object.keys(p.parameters).length) lines.push(`  parameters  ${Object.entries(p.parameters).map(([k, v]) => `${k}=${v}`).join(' ')}`);
    for (const i of p.inputs) lines.push(`  input       ${i.name} <- ${i.from}`);
  }
  if (!l.consumers.length) lines.push('', '  No step run consumed it.');
  else {
    lines.push('', table([['CONSUMED BY RUN', 'PIPELINE', 'STEP', 'INPUT', 'VIA', 'STATUS'], ...l.consumers.map((c) => [
      c.runId, c.pipeline, c.step, c.input, c.via + (c.reused ? ' (reused)' : ''), c.status,
    ])]).replace(/^/gm, '  '));
  }
  return lines.join('\n');
}

const wholeNumber = (v: string, flag: string): number => {
  if (!/^\d+$/.test(v.trim())) throw new UserError(`${flag}: expected a whole number, got '${v}'`, 'bad_usage');
  return Number(v);
};

export function registerReuseCommands(program: Command): void {
  program
    .command('gc')
    .description("delete the folders of runs reuse no longer needs (or a retention policy lets go); run records stay")
    .option('--keep-last <n>', 'keep the newest N runs of each experiment (then the policy alone decides)')
    .option('--older-than <age>', 'keep runs newer than this: 30d, 12h, 2w (then the policy alone decides)')
    .option('--dry-run', 'list what gc would delete, delete nothing')
    .option('--json', 'print JSON: {dryRun, runs: [{runId, experiment, status, reason, paths, bytes}], paths, bytes}')
    .action(async (o: { keepLast?: string; olderThan?: string; dryRun?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const keepLast = o.keepLast === undefined ? undefined : wholeNumber(o.keepLast, '--keep-last');
      await withSession(g, async (s) => {
        const r = await s.call('workspace/gc', { keepLast, olderThan: o.olderThan, dryRun: !!o.dryRun }, { keepLast: '--keep-last', olderThan: '--older-than' });
        if (g.json) printJson(r);
        else out(describeGc(r));
      });
    });
  program
    .command('lineage')
    .description('which run made a file or dataset version (from which inputs and code) and which runs consumed it')
    .argument('<target>', 'a path of pipeline data (a file or folder), or DATASET[:VERSION]')
    .option('--json', 'print JSON: {target, producer, consumers}')
    .action(async (target: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      // A path when it exists or looks like one; a dataset name holds no '/'.
      const isPath = target.includes('/') || existsSync(resolve(target));
      const args = isPath ? { path: resolve(target) } : { dataset: parseModelRef(target).name, version: parseModelRef(target).version };
      await withSession(g, async (s) => {
        const l = await s.call('lineage/get', args, { path: 'the path', dataset: 'the dataset', version: 'the version' });
        if (g.json) printJson(l);
        else out(describeLineage(l));
        if (!isPath && !l.producer && !l.consumers.length) info('(no run made or read this dataset version)');
      });
    });
}
