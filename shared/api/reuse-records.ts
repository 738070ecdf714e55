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
