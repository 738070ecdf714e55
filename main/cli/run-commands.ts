// `millrace run` and `millrace runs list|show|logs|cancel`.
import type { Command } from 'commander';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isTerminal, RUN_STATUSES, type RunStatus } from '../../shared/constants.js';
import { UserError } from '../../shared/errors.js';
import { parseAssignments } from '../../shared/params.js';
import { recoverOrphanedRuns } from '../executor/recovery.js';
import { isSameProcessAlive } from '../executor/process-identity.js';
import { readLogRange, readLogTail, stepLogPath } from '../logs/log-file.js';
import { submitRun } from '../executor/submit.js';
import { type GlobalOptions, openWorkspace, pipelinePath, withWorkspace } from './context.js';
import { describeRun, fmtDuration, info, out, printJson, table } from './output.js';

const collect = (v: string, prev: string[]) => [...prev, v];
/** What `runs logs --tail` reads at most per log, and what a whole log is copied through in. */
const TAIL_MAX_BYTES = 16 * 1024 * 1024;
const COPY_CHUNK = 1024 * 1024;

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
      const ws = openWorkspace(g);
      const say = g.json ? info : out;
      const t0 = Date.now();
      const shown = new Map<string, string>();
      const stamp = () => `+${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;
      const { runId, plan, runner } = submitRun(ws, pipelinePath(ws, file), {
        parameters: parseAssignments(o.param),
        experiment: o.experiment,
        trigger: { kind: 'cli', user: process.env.USER ?? null },
        regenerateOutputs: o.regenerateOutputs,
        onProblem: (m) => info(`millrace: ${m}`),
        onEvent: (e) => {
          // Preparing (hashing, the reuse lookup) is over in milliseconds: not worth a line; nor is
          // a step staying where it was (a Slurm job submitted while Queued), unless an attempt begins.
          if (e.type === 'step' && e.status !== 'Preparing' && !(shown.get(e.step) === e.status && !(e.attempt && e.attempt > 1))) {
            shown.set(e.step, e.status);
            const job = e.job && !isTerminal(e.status) ? `  (Slurm job ${e.job.id}${e.job.node ? ` on ${e.job.node}` : ''})` : '';
            const note = e.reusedFrom ? `  (reused from ${e.reusedFrom})` : e.error ? `  ${e.error}` : e.attempt && e.attempt > 1 ? `  (attempt ${e.attempt})${job}` : job;
            say(`${stamp()}  ${e.step.padEnd(width)}  ${e.status}${note}`);
          }
        },
      });
      const width = Math.max(...plan.steps.map((s) => s.id.length), 4);
      say(`Run ${runId} of ${plan.pipelineName} (experiment '${o.experiment ?? plan.pipelineName}'), workspace ${ws.dir}`);
      let interrupts = 0;
      const onSignal = () => {
        if (++interrupts > 1) process.exit(130);
        info('Canceling the run (press Ctrl-C again to leave without waiting)...');
        runner.cancel();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const status = await runner.run();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const record = ws.store.runs.get(runId);
      if (g.json) printJson(record);
      else say(`Run ${runId} ${status} in ${fmtDuration(record.durationMs)}${record.error ? `: ${record.error}` : ''}`);
      ws.close();
      process.exitCode = status === 'Completed' ? 0 : 1;
    });

  const runs = program.command('runs').description('list, inspect and cancel runs');
  runs
    .command('list')
    .description('list pipeline runs, newest first')
    .option('-e, --experiment <name>', 'only runs of this experiment')
    .option('--status <status>', `only runs with this status (${RUN_STATUSES.join(', ')})`)
    .option('-n, --limit <n>', 'how many', '20')
    .option('--json', 'print JSON')
    .action((o: { experiment?: string; status?: string; limit: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      if (o.status && !(RUN_STATUSES as readonly string[]).includes(o.status)) {
        throw new UserError(`--status: expected one of ${RUN_STATUSES.join(', ')}, got '${o.status}'`, 'bad_usage');
      }
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new UserError(`--limit: expected a positive integer, got '${o.limit}'`, 'bad_usage');
      withWorkspace(g, (ws) => {
        const list = ws.store.runs.list({ experiment: o.experiment, status: o.status as RunStatus | undefined, limit });
        if (g.json) return printJson(list);
        if (!list.length) return out('No runs yet. Start one with: millrace run pipelines/sample.yml');
        out(table([['RUN', 'EXPERIMENT', 'STATUS', 'TRIGGER', 'CREATED', 'DURATION'], ...list.map((r) => [
          r.id, r.experiment, r.status, r.trigger?.kind ?? '-', r.createdAt.replace('T', ' ').slice(0, 19), fmtDuration(r.durationMs),
        ])]));
      });
    });
  runs
    .command('show')
    .description('show a run with its steps and metrics')
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--json', 'print JSON')
    .action((id: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      withWorkspace(g, (ws) => {
        const r = ws.store.runs.get(ws.store.runs.resolveId(id));
        if (g.json) printJson(r);
        else out(describeRun(r));
      });
    });
  runs
    .command('logs')
    .description("print a run's step logs (std_log.txt)")
    .argument('<run>', 'run id (or a unique prefix)')
    .argument('[step]', 'only this step (its id or display name)')
    .option('--tail <n>', `only the last N lines of each log (at most ${TAIL_MAX_BYTES / 1024 / 1024} MiB of them)`)
    .option('--json', 'print JSON: [{step, stepRunId, path, log}]')
    .action(async (id: string, step: string | undefined, o: { tail?: string }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const tail = o.tail === undefined ? undefined : Number(o.tail);
      if (tail !== undefined && !(Number.isInteger(tail) && tail >= 1 && tail <= 1_000_000)) {
        throw new UserError(`--tail: expected a whole number of lines from 1 to 1000000, got '${o.tail}'`, 'bad_usage');
      }
      const logs = withWorkspace(g, (ws) => {
        const r = ws.store.runs.get(ws.store.runs.resolveId(id));
        const steps = step ? r.steps.filter((s) => s.name === step || s.displayName === step) : r.steps;
        if (step && !steps.length) throw new UserError(`run ${r.id} has no step '${step}' (steps: ${r.steps.map((s) => s.name).join(', ')})`, 'not_found');
        return steps.map((s) => ({ step: s.name, stepRunId: s.id, reusedFrom: s.reusedFrom, path: stepLogPath(ws, r.id, s) }));
      });
      // Tails are read backwards in chunks; whole logs are copied through in chunks: neither holds a log in memory.
      const tailOf = (path: string) => readLogTail(path, tail!, TAIL_MAX_BYTES).text;
      if (g.json) {
        return printJson(logs.map((l) => ({ ...l, log: tail !== undefined ? tailOf(l.path) : existsSync(l.path) && statSync(l.path).isFile() ? readFileSync(l.path, 'utf8') : '' })));
      }
      for (const l of logs) {
        if (logs.length > 1 || l.reusedFrom) out(`==> ${l.step}${l.reusedFrom ? ` (reused; log of ${l.reusedFrom})` : ''} <==`);
        if (tail !== undefined) {
          process.stdout.write(tailOf(l.path) || '(no output)\n');
          continue;
        }
        let offset = 0;
        for (let c = readLogRange(l.path, 0, COPY_CHUNK); c.text; c = readLogRange(l.path, offset, COPY_CHUNK)) {
          offset = c.nextOffset;
          if (!process.stdout.write(c.text)) await once(process.stdout, 'drain');
        }
        if (offset === 0) process.stdout.write('(no output)\n');
      }
    });
  runs
    .command('cancel')
    .description('cancel a run (also from another terminal): its step processes get SIGTERM, then SIGKILL')
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--json', 'print the final run record as JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      const ws = openWorkspace(g);
      try {
        const runId = ws.store.runs.resolveId(id);
        const row = ws.store.runs.row(runId)!;
        if (isTerminal(row.status)) {
          info(`Run ${runId} already ended ${row.status}; nothing to cancel`);
        } else {
          ws.store.runs.requestCancel(runId);
          // The owner sees the flag within a tick; when nobody owns it any more, we end it here.
          if (!isSameProcessAlive(row.owner_pid, row.owner_start)) recoverOrphanedRuns(ws.store, runId);
          const deadline = Date.now() + ws.config.killGraceMs + 10_000;
          while (!isTerminal(ws.store.runs.row(runId)!.status) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        }
        const record = ws.store.runs.get(runId);
        if (g.json) printJson(record);
        else out(`Run ${runId} ${record.status}`);
        if (!isTerminal(record.status)) process.exitCode = 1;
      } finally {
        ws.close();
      }
    });
}
