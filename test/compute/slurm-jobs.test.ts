// The pure parts of the Slurm backend: sbatch's argv for a step, and what squeue/sacct say.
import { describe, expect, it } from 'vitest';
import { outcomeOf, parseSacct, parseSqueue, phaseOf } from '../../main/compute/slurm/job-states.js';
import { parseJobId, sbatchArgs } from '../../main/compute/slurm/sbatch.js';
import { computeTarget, type SlurmTarget } from '../../main/compute/targets.js';

const target = computeTarget({ type: 'slurm', partition: 'gpu', time_limit: '1-00:00:00', cpus_per_task: 2, mem: '4G', gres: 'gpu:1', sbatch_args: ['--constraint=a b'] }) as SlurmTarget;
const job = { jobName: 'millrace-s-1', logFile: '/ws/runs/r 1/s/std_log%j.txt', cwd: '/ws/src', script: '/ws/runs/r/s/slurm-job.sh', argv: ['python3', '-c', 'print(1)', '$(x)', ''] };

describe('sbatch arguments', () => {
  it('passes the argv after the script, untouched, with the target settings before it', () => {
    expect(sbatchArgs({ ...job, target, resources: null })).toEqual([
      '--parsable', '--job-name=millrace-s-1', '--output=/ws/runs/r 1/s/std_log%%j.txt', '--open-mode=append', '--chdir=/ws/src', '--export=ALL',
      '--partition=gpu', '--time=1-00:00:00', '--cpus-per-task=2', '--mem=4096M', '--gres=gpu:1', '--constraint=a b',
      '/ws/runs/r/s/slurm-job.sh', 'python3', '-c', 'print(1)', '$(x)', '',
    ]);
  });

  it("lets a step's resources override the target's", () => {
    const args = sbatchArgs({ ...job, target, resources: { cpus: 3.5, memory: '1G', gpus: 0 } });
    expect(args).toContain('--cpus-per-task=4');
    expect(args).toContain('--mem=1024M');
    expect(args.some((a) => a.startsWith('--gres'))).toBe(false);
  });

  it('reads the job id of --parsable', () => {
    expect(parseJobId('123\n')).toBe('123');
    expect(parseJobId('77;cluster\n')).toBe('77');
    expect(parseJobId('nonsense')).toBeUndefined();
  });
});

describe('job states', () => {
  it('parses squeue and sacct and maps each state to what the step becomes', () => {
    const jobs = parseSqueue('1|COMPLETED|vm|None|0|\n2|FAILED|vm|NonZeroExitCode|768|\n3|FAILED|vm|JobLaunchFailure|9|\n4|PENDING||Resources||\n');
    expect(jobs.map((j) => phaseOf(j.state))).toEqual(['ended', 'ended', 'ended', 'queued']);
    expect(outcomeOf(jobs[0])).toEqual({ exitCode: 0, signal: null });
    expect(outcomeOf(jobs[1])).toMatchObject({ exitCode: 3, failure: 'Slurm job 2 FAILED: exited with code 3' });
    expect(outcomeOf(jobs[2])).toMatchObject({ signal: 'SIGKILL', failure: 'Slurm job 3 FAILED: killed by SIGKILL (JobLaunchFailure)' });
    const st = (state: string) => outcomeOf({ jobId: '9', state, node: 'n1', reason: null, exitStatus: null });
    expect(st('TIMEOUT').failure).toMatch(/^time limit/);
    expect(st('OUT_OF_MEMORY').failure).toMatch(/^out of memory/);
    expect(st('NODE_FAIL').failure).toMatch(/^node failure: the node n1/);
    expect(st('CANCELLED').canceled).toBe(true);
    expect(phaseOf('RUNNING')).toBe('running');
    expect(phaseOf('COMPLETING')).toBe('running');
    expect(parseSacct('5|FAILED|2:0|n1\n6|CANCELLED by 0|0:15|None assigned\n')).toEqual([
      { jobId: '5', state: 'FAILED', node: 'n1', reason: null, exitStatus: 512 },
      { jobId: '6', state: 'CANCELLED', node: null, reason: null, exitStatus: 15 },
    ]);
  });
});
