// `millrace runs why`, `millrace gc` and `millrace lineage` (docs/reuse.md): reuse you can see.
import type { Command } from 'commander';
import type { WhyRecord } from '../../shared/api/reuse-records.js';
import { out, printJson } from './output.js';
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
