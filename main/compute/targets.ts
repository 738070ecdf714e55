// Compute targets of millrace.yml, with their defaults filled in (DESIGN.md section 1,
// docs/compute.md): a local process pool with cpu/memory/gpu slots, or a Slurm cluster.
import { availableParallelism, totalmem } from 'node:os';
import type { ComputeTargetSpec } from '../../shared/pipeline/schema.js';
import type { ComputeTargetRecord } from '../../shared/api/records.js';
import { parseMemoryMb, type Capacity } from '../../shared/pipeline/resources.js';

export interface LocalTarget {
  type: 'local';
  /** Steps at once (a plain slot count). */
  maxConcurrency: number;
  cpus: number;
  memoryMb: number;
  /** Device ids handed out through CUDA_VISIBLE_DEVICES. */
  gpus: string[];
}

export interface SlurmTarget {
  type: 'slurm';
  /** Jobs in flight from this workspace. */
  maxConcurrency: number;
  partition?: string;
  account?: string;
  qos?: string;
  /** Slurm's --time syntax. */
  timeLimit?: string;
  cpusPerTask?: number;
  memMb?: number;
  gres?: string;
  sbatchArgs: string[];
}

export type ComputeTarget = LocalTarget | SlurmTarget;

export const SLURM_DEFAULT_CONCURRENCY = 64;

export function localTarget(spec: Partial<Extract<ComputeTargetSpec, { type: 'local' }>> = {}): LocalTarget {
  const cores = availableParallelism();
  const maxConcurrency = spec.max_concurrency ?? cores;
  return {
    type: 'local',
    maxConcurrency,
    // A pool set up for more parallel steps than cores keeps running that many 1-cpu steps.
    cpus: spec.cpus ?? Math.max(cores, maxConcurrency),
    memoryMb: spec.memory !== undefined ? parseMemoryMb(spec.memory)! : Math.floor(totalmem() / 1024 / 1024),
    gpus: (spec.gpus ?? []).map(String),
  };
}

export function computeTarget(spec: ComputeTargetSpec): ComputeTarget {
  if (spec.type === 'local') return localTarget(spec);
  return {
    type: 'slurm',
    maxConcurrency: spec.max_concurrency ?? SLURM_DEFAULT_CONCURRENCY,
    partition: spec.partition,
    account: spec.account,
    qos: spec.qos,
    timeLimit: spec.time_limit === undefined ? undefined : String(spec.time_limit),
    cpusPerTask: spec.cpus_per_task,
    memMb: spec.mem === undefined ? undefined : parseMemoryMb(spec.mem),
    gres: spec.gres,
    sbatchArgs: spec.sbatch_args ?? [],
  };
}

/** What a step may ask of the target at most; a Slurm cluster decides for itself. */
export function capacityOf(t: ComputeTarget): Capacity | undefined {
  return t.type === 'local' ? { cpus: t.cpus, memoryMb: t.memoryMb, gpus: t.gpus.length } : undefined;
}

/** A target as the API lists it. */
export function computeRecord(name: string, c: ComputeTarget): ComputeTargetRecord {
  return c.type === 'local'
    ? { name, type: c.type, maxConcurrency: c.maxConcurrency, cpus: c.cpus, memoryMb: c.memoryMb, gpus: c.gpus }
    : { name, type: c.type, maxConcurrency: c.maxConcurrency, partition: c.partition };
}
