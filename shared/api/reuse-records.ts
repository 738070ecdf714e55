// What `runs why`, `gc` and `lineage` answer (docs/reuse.md).
import type { RunStatus } from '../constants.js';

/** Why a step ran instead of reusing (or what made it reuse), one fact each. */
export const WHY_REASON_KINDS = [
  'no_candidate', 'allow_reuse', 'regenerate_outputs', 'type', 'command', 'script', 'parameter', 'arguments',
  'code', 'input', 'environment', 'outputs', 'outputs_deleted', 'outputs_edited', 'not_keyed', 'unknown',
] as const;
export type WhyReasonKind = (typeof WHY_REASON_KINDS)[number];

export interface WhyReason {
  kind: WhyReasonKind;
  /** As a person reads it: "parameter reg_rate: 0.01 → 0.1". */
  text: string;
  /** A unified diff for a changed text file under 1 MiB whose two versions are still in the snapshots. */
  diff?: string;
}

export interface WhyStepRef {
  runId: string;
  shortId: string;
  step: string;
  stepRunId: string;
  status: RunStatus;
  endedAt: string | null;
}

export interface WhyRecord {
  runId: string;
  step: string;
  stepRunId: string;
  status: RunStatus;
  /** reused: it took a Completed run's outputs; ran: its process ran; not_run: it never got as far as its key. */
  outcome: 'reused' | 'ran' | 'not_run';
  /** The run it reused, or the one it was compared with (`against`, else the newest earlier Completed run of the step). */
  candidate: WhyStepRef | null;
  /** Components of the reuse key that matched the candidate's. */
  matched: string[];
  /** Empty when reused: every component matched. */
  reasons: WhyReason[];
  /** One line: the verdict. */
  summary: string;
}

/** One run gc deletes (or, with dryRun, would delete): its folders, never its record. */
export interface GcRunEntry {
  runId: string;
  experiment: string;
  status: RunStatus;
  createdAt: string;
  /** Why it goes: "not needed for reuse" or "outside the retention policy". */
  reason: string;
  /** Absolute folders removed: runs/<id>/ and the output folders its steps made. */
  paths: string[];
  bytes: number;
}

export interface GcResult {
  dryRun: boolean;
  runs: GcRunEntry[];
  /** Every folder, in deletion order (the runs' paths, flattened). */
  paths: string[];
  bytes: number;
}

/** Disk space an experiment's runs take (run folders and the output folders they made). */
export interface ExperimentUsage {
  experiment: string;
  runs: number;
  bytes: number;
}

export interface LineageStepRef {
  runId: string;
  shortId: string;
  pipeline: string;
  experiment: string;
  step: string;
  stepRunId: string;
  status: RunStatus;
  createdAt: string;
}

export interface LineageProducer extends LineageStepRef {
  output: string;
  /** The output folder the target lies in. */
  folder: string;
  code: { snapshot: string | null; script: string | null; files: number };
  parameters: Record<string, string | number | boolean>;
  /** Where each of its inputs came from, as its definition says. */
  inputs: { name: string; from: string }[];
}

export interface LineageConsumer extends LineageStepRef {
  input: string;
  /** step: an upstream step's output; dataset: a registered dataset version; path: a datastore path over the folder. */
  via: 'step' | 'dataset' | 'path';
  /** Took its outputs from another run (it did not read the input itself this time). */
  reused: boolean;
}

export interface LineageRecord {
  target: { kind: 'path' | 'dataset'; path: string; dataset: { name: string; version: number } | null };
  producer: LineageProducer | null;
  consumers: LineageConsumer[];
}
