// `millrace run` and `millrace runs list|show|why|logs|cancel`: flags -> the core's calls -> text or JSON.
import type { Command } from 'commander';
import { once } from 'node:events';
import { isTerminal, RUN_STATUSES } from '../../shared/constants.js';
import type { ApiEvent } from '../../shared/api/events.js';
import type { LogChunk } from '../../shared/api/records.js';
import { UserError } from '../../shared/errors.js';
import { parseAssignments } from '../../shared/params.js';
import { describeRun, fmtDuration, info, out, printJson, table } from './output.js';
import { registerWhyCommand } from './reuse-commands.js';
import { type GlobalOptions, type Session, withSession } from './session.js';

const collect = (v: string, prev: string[]) => [...prev, v];
/** What `runs logs --tail` reads at most per log, and what a whole log is copied through in. */
const TAIL_MAX_BYTES = 16 * 1024 * 1024;
const COPY_CHUNK = 1024 * 1024;

/** One line per step status change (Preparing is over in milliseconds; a repeated status is not news). */
function stepPrinter(say: (s: string) => void, width: () => number) {
  const t0 = Date.now();
  const shown = new Map<string, string>();
  return (e: ApiEvent) => {
    if (e.type !== 'step' || e.status === 'Preparing') return;
    if (shown.get(e.step) === e.status && !(e.attempt && e.attempt > 1)) return;
    shown.set(e.step, e.status);
    const job = e.job && !isTerminal(e.status) ? `  (Slurm job ${e.job.id}${e.job.node ? ` on ${e.job.node}` : ''})` : '';
    const note = e.reusedFrom ? `  (reused from ${e.reusedFrom})` : e.error ? `  ${e.error}` : e.attempt && e.attempt > 1 ? `  (attempt ${e.attempt})${job}` : job;
    say(`+${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s  ${e.step.padEnd(width())}  ${e.status}${note}`);
  };
}

async function runPipeline(s: Session, file: string, o: { experiment?: string; param: string[]; regenerateOutputs?: boolean }, json: boolean): Promise<void> {
  const say = json ? info : out;
  let width = 4;
  const stop = s.runs.subscribe(stepPrinter(say, () => width));
  const rec = await s.call(
    'runs/submit',
    { file, experiment: o.experiment, parameters: parseAssignments(o.param), regenerateOutputs: o.regenerateOutputs },
    { experiment: '-e', parameters: '-p', file: 'the pipeline file' },
  );
  width = Math.max(4, ...rec.steps.map((x) => x.name.length));
  say(`Run ${rec.id} of ${rec.pipeline} (experiment '${rec.experiment}'), workspace ${s.ws.dir}`);
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(130);
    info('Canceling the run (press Ctrl-C again to leave without waiting)...');
    s.runs.cancel(rec.id);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let status;
  try {
    status = await s.runs.drive(rec.id);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    stop();
  }
  const record = await s.call('runs/get', { id: rec.id });
  if (json) printJson(record);
  else say(`Run ${record.id} ${status} in ${fmtDuration(record.durationMs)}${record.error ? `: ${record.error}` : ''}`);
  process.exitCode = status === 'Completed' ? 0 : 1;
}

/** Every log of the asked steps, streamed to stdout in chunks (never a whole log in memory). */
async function printLogs(s: Session, runId: string, chunks: LogChunk[], tail: number | undefined): Promise<void> {
  for (const first of chunks) {
    if (chunks.length > 1 || first.reusedFrom) out(`==> ${first.step}${first.reusedFrom ? ` (reused; log of ${first.reusedFrom})` : ''} <==`);
    let c = first;
    if (tail !== undefined || c.size === 0) {
      process.stdout.write(c.text || '(no output)\n');
      continue;
    }
    for (;;) {
      if (!process.stdout.write(c.text)) await once(process.stdout, 'drain');
      if (c.nextOffset >= c.size || !c.text) break;
      c = await s.call('runs/logs', { id: runId, step: c.step, offset: c.nextOffset, maxBytes: COPY_CHUNK });
    }
  }
}

export function registerRunCommands(program: Command): void {
  program
    .command('run')
    .description('run a pipeline as an experiment')
    .argument('<pipeline>', 'pipeline YAML file (relative to the current folder or the workspace)')
    .option('-e, --experiment <name>', 'experiment name (default: the pipeline name)')
    .option('-p, --param <NAME=VALUE>', 'set a pipeline parameter (repeatable)', collect, [])
    .option('--regenerate-outputs', 'rerun every step instead of reusing unchanged ones')
    .option('--json', 'print the final run record as JSON')
    .action(async (file: string, o: { experiment?: string; param: string[]; regenerateOutputs?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, (s) => runPipeline(s, file, o, !!g.json));
    });

  const runs = program.command('runs').description('list, inspect and cancel runs');
  runs
    .command('list')
    .description('list pipeline runs, newest first')
    .option('-e, --experiment <name>', 'only runs of this experiment')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .option('-n, --limit <n>', 'how many (at most 500)', '20')
    .option('--json', 'print JSON: the run summaries of GET /api/v1/runs')
    .action(async (o: { experiment?: string; status?: string; limit: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const page = await s.call('runs/list', { experiment: o.experiment, status: o.status as never, limit: o.limit }, { experiment: '-e', status: '--status', limit: '--limit' });
        if (g.json) return printJson(page.items);
        if (!page.items.length) return out('No runs yet. Start one with: millrace run pipelines/sample.yml');
        // Short ids (the shortest prefix no other run shares) are accepted wherever a run id is.
        out(table([['RUN', 'EXPERIMENT', 'STATUS', 'TRIGGER', 'CREATED', 'DURATION'], ...page.items.map((r) => [
          r.shortId, r.experiment, r.status, r.trigger?.kind ?? '-', r.createdAt.replace('T', ' ').slice(0, 19), fmtDuration(r.durationMs),
        ])]));
      });
    });
  runs
    .command('show')
    .description('show a run with its steps and metrics')
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--json', 'print JSON: the run record')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const r = await s.call('runs/get', { id });
        if (g.json) printJson(r);
        else out(describeRun(r));
      });
    });
  registerWhyCommand(runs);
  runs
    .command('logs')
    .description("print a run's step logs (std_log.txt)")
    .argument('<run>', 'run id (or a unique prefix)')
    .argument('[step]', 'only this step (its id or display name)')
    .option('--tail <n>', `only the last N lines of each log (at most ${TAIL_MAX_BYTES / 1024 / 1024} MiB of them)`)
    .option('--json', 'print JSON: [{step, stepRunId, reusedFrom, path, log}]')
    .action(async (id: string, step: string | undefined, o: { tail?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (o.tail !== undefined && !(/^\d+$/.test(o.tail.trim()) && Number(o.tail) >= 1 && Number(o.tail) <= 100_000)) {
        throw new UserError(`--tail: expected a whole number of lines from 1 to 100000, got '${o.tail}'`, 'bad_usage');
      }
      await withSession(g, async (s) => {
        const run = await s.call('runs/get', { id });
        const names = step ? [step] : run.steps.map((x) => x.name);
        const chunks: LogChunk[] = [];
        for (const name of names) {
          const args = o.tail !== undefined ? { tail: o.tail, maxBytes: TAIL_MAX_BYTES } : { offset: 0, maxBytes: COPY_CHUNK };
          chunks.push(await s.call('runs/logs', { id: run.id, step: name, ...args }, { tail: '--tail', step: 'step' }));
        }
        if (!g.json) return printLogs(s, run.id, chunks, o.tail === undefined ? undefined : Number(o.tail));
        const logs = [];
        for (const c of chunks) {
          let log = c.text;
          for (let next = c; o.tail === undefined && next.nextOffset < next.size && next.text; ) {
            next = await s.call('runs/logs', { id: run.id, step: c.step, offset: next.nextOffset, maxBytes: COPY_CHUNK });
            log += next.text;
          }
          logs.push({ step: c.step, stepRunId: c.stepRunId, reusedFrom: c.reusedFrom, path: c.path, log });
        }
        printJson(logs);
      });
    });
  runs
    .command('tag')
    .description('set tags of a run or a step run (KEY=VALUE, repeatable) and remove some (--remove KEY)')
    .argument('<run>', 'run or step run id (or a unique prefix)')
    .argument('[tags...]', 'KEY=VALUE')
    .option('--remove <key>', 'remove this tag (repeatable)', collect, [])
    .option('--json', 'print {id, tags} as JSON')
    .action(async (id: string, assignments: string[], o: { remove: string[] }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        const r = await s.call('runs/tag', { id, tags: parseAssignments(assignments), remove: o.remove }, { tags: 'KEY=VALUE', remove: '--remove' });
        if (g.json) return printJson(r);
        const shown = Object.entries(r.tags);
        out(shown.length ? table([['TAG', 'VALUE'], ...shown.map(([k, v]) => [k, v ?? ''])]) : `Run ${r.id} has no tags`);
      });
    });
  runs
    .command('cancel')
    .description('cancel a run (also from another terminal): its step processes get SIGTERM, then SIGKILL')
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--json', 'print the final run record as JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await withSession(g, async (s) => {
        let record = await s.call('runs/get', { id });
        if (isTerminal(record.status)) {
          info(`Run ${record.id} already ended ${record.status}; nothing to cancel`);
        } else {
          record = await s.call('runs/cancel', { id: record.id });
          // The owner sees the flag within a tick and stops the steps (SIGTERM, then SIGKILL).
          const deadline = Date.now() + s.ws.config.killGraceMs + 10_000;
          while (!isTerminal(record.status) && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 100));
            record = await s.call('runs/get', { id: record.id });
          }
        }
        if (g.json) printJson(record);
        else out(`Run ${record.id} ${record.status}`);
        if (!isTerminal(record.status)) process.exitCode = 1;
      });
    });
}
