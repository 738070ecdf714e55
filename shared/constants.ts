// Vocabulary tuples: reused by types, validation and SQL CHECK constraints (DESIGN.md section 1).

export const RUN_STATUSES = [
  'NotStarted',
  'Queued',
  'Preparing',
  'Running',
  'Finalizing',
  'Completed',
  'Failed',
  'Canceled',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses after which nothing about a run changes any more. */
export const TERMINAL_STATUSES = ['Completed', 'Failed', 'Canceled'] as const satisfies readonly RunStatus[];
/** Statuses of a run that some live process must be driving. */
export const ACTIVE_STATUSES = ['Queued', 'Preparing', 'Running', 'Finalizing'] as const satisfies readonly RunStatus[];
/** Statuses of a run that has not ended: waiting to start, or active. */
export const UNFINISHED_STATUSES = ['NotStarted', ...ACTIVE_STATUSES] as const satisfies readonly RunStatus[];

export function isTerminal(status: RunStatus): boolean {
  return (TERMINAL_STATUSES as readonly string[]).includes(status);
}

export const STEP_TYPES = ['python', 'command'] as const;
export type StepType = (typeof STEP_TYPES)[number];

export const TRIGGER_KINDS = ['manual', 'cli', 'rest', 'schedule', 'dataChange', 'sdk'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export const PARAMETER_TYPES = ['string', 'number', 'integer', 'boolean', 'path'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

export const DATASET_KINDS = ['file', 'tabular'] as const;
export type DatasetKind = (typeof DATASET_KINDS)[number];

export const METRIC_KINDS = ['scalar', 'list', 'row', 'table', 'image'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

export const RUN_KINDS = ['pipeline', 'step'] as const;
export type RunKind = (typeof RUN_KINDS)[number];

export const STEP_ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
