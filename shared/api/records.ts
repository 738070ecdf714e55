// Records the API returns beyond those of shared/types.ts (which the CLI's --json shares).
import type { DatasetKind, MetricKind, RunStatus } from '../constants.js';
import type { ParamValue } from '../params.js';
import type { ParameterSpec, StepSpec } from '../pipeline/schema.js';
import type { ReusedFrom, RunBase } from '../types.js';
import type { DatasetFormat } from './sdk-records.js';

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** A pipeline run as lists show it: the run record without step records and metrics. */
export interface RunSummary extends RunBase {
  /** How many of its steps are in each status. */
  stepCounts: Partial<Record<RunStatus, number>>;
  /** Last numeric value of each metric named in runs/list's `metrics` (logged on the run or one of its steps). */
  metrics?: Record<string, number | null>;
}

/** A page of runs/list: `total` is null when the call asked not to count (count=false). */
export interface RunPage extends Omit<Page<RunSummary>, 'total'> {
  total: number | null;
}

export interface ExperimentRecord {
  name: string;
  createdAt: string;
  runs: number;
  lastRunAt: string | null;
}

export interface LogChunk {
  step: string;
  stepRunId: string;
  /** Set when the step was reused: the log is the one of that earlier step run. */
  reusedFrom: string | null;
  /** The log file on the machine that runs the core (std_log.txt of the step run, or of the run it reused). */
  path: string;
  /** The pipeline run and step of `reusedFrom` (where the studio links it). */
  reusedFromRun: ReusedFrom | null;
  /** Byte size of the whole log file now. */
  size: number;
  /** Byte offset of `text` in the file. */
  offset: number;
  /** Where the next read should start to get only what was appended since. */
  nextOffset: number;
  text: string;
}

export interface MetricInfo {
  /** The run (pipeline or step run) that logged it. */
  runId: string;
  /** Step name, or null for metrics logged on the pipeline run. */
  step: string | null;
  name: string;
  kind: MetricKind;
  count: number;
}

export interface MetricSeries {
  runId: string;
  name: string;
  kind: MetricKind;
  /** Number of points logged. */
  total: number;
  /** True when `points` holds fewer than `total` points (largest-triangle-three-buckets on numeric series). */
  downsampled: boolean;
  points: { index: number; step: number | null; value: unknown; ts: number }[];
  /** Paged (`limit` given): the `offset` of the next page, or null after the last one. */
  nextOffset?: number | null;
}

export interface OutputFile {
  /** Relative to the output folder, with '/' separators. */
  path: string;
  size: number;
  modifiedAt: string;
}

/** A file of a step run's artifacts (docs/bridge.md "runs/artifacts"). */
export interface ArtifactRecord {
  /** "outputs/model.pkl", "logs/train.log", "user_logs/std_log.txt" ('/'-separated). */
  path: string;
  size: number;
  modifiedAt: string;
  /** Where it is on the machine that runs the core. */
  absolutePath: string;
}

export interface StepOutputListing {
  step: string;
  stepRunId: string;
  name: string;
  /** Absolute folder on the datastore. */
  folder: string;
  exists: boolean;
  files: OutputFile[];
  /** True when the folder held more files than were listed. */
  truncated: boolean;
}

export interface PipelineFileRecord {
  /** Relative to the workspace's pipelines/ folder, '/' separated. */
  file: string;
  /** Written by the azureml package (pipelines/sdk/): edit the Python that made it, not the file. */
  generated: boolean;
  name: string | null;
  description: string | null;
  valid: boolean;
  /** Validation problems as `file:line:col: message` lines. */
  errors: string[];
  parameters: Record<string, ParameterSpec>;
  steps: string[];
  /** step -> the steps it waits for (data edges and run_after): the graph the UI lays out. */
  dependsOn: Record<string, string[]>;
  /** Each step's definition as written (type, script/command, arguments, inputs, outputs). */
  stepSpecs: Record<string, StepSpec>;
  modifiedAt: string;
}

/** The pipeline a run ran, as recorded with the run (not the file as it is now). */
export interface RunPipeline {
  runId: string;
  name: string;
  description: string | null;
  /** Step names in pipeline order. */
  steps: string[];
  parameters: Record<string, ParameterSpec>;
  /** step -> the steps it waited for (data edges and run_after). */
  dependsOn: Record<string, string[]>;
  stepSpecs: Record<string, StepSpec>;
  /** step -> what it ran with: expressions resolved to the values and folders of this run. */
  invocations: Record<string, StepInvocation>;
}

/** A step of a run as it ran: its command line and where each input came from. */
export interface StepInvocation {
  /** argv: parameters, inputs and outputs resolved (an input or output not known yet stays ${{...}}). */
  command: string[];
  inputs: Record<string, { from: string; path: string | null }>;
  compute: string;
  environment: string;
  /** The parameters it used. */
  parameters: Record<string, ParamValue>;
}

export interface PipelineFileDetail extends PipelineFileRecord {
  text: string;
}

export interface PublishedPipelineRecord {
  id: string;
  name: string;
  version: string;
  description: string | null;
  /** The `name:` of the pipeline definition it was published from. */
  pipeline: string;
  /** The file it was published from (later edits there do not change it). */
  sourceFile: string;
  parameters: Record<string, ParameterSpec>;
  /** Azure's status names. */
  status: 'Active' | 'Disabled';
  enabled: boolean;
  createdAt: string;
  /** Full URL of its PipelineSubmit REST endpoint. */
  endpoint: string;
  /** Names of the pipeline endpoints that hold it. */
  pipelineEndpoints: string[];
  /** The submit default given at publish (null: the definition's own). */
  continueOnStepFailure: boolean | null;
  /** Its steps' display names in pipeline order. */
  stepNames: string[];
}

export interface PipelineEndpointVersion {
  version: string;
  publishedPipelineId: string;
  name: string;
  enabled: boolean;
  isDefault: boolean;
  addedAt: string;
}

export interface PipelineEndpointRecord {
  id: string;
  name: string;
  description: string | null;
  defaultVersion: string;
  defaultPipelineId: string;
  versions: PipelineEndpointVersion[];
  createdAt: string;
  updatedAt: string;
  /** A disabled endpoint answers submits with 403. */
  status: 'Active' | 'Disabled';
  /** Full URL of its PipelineEndpointSubmit/Name REST endpoint. */
  endpoint: string;
}

export interface TokenRecord {
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface DatastoreRecord {
  name: string;
  path: string;
  exists: boolean;
}

export interface ComputeTargetRecord {
  name: string;
  type: 'local' | 'slurm';
  /** Steps it runs at once (Slurm: jobs in flight from this workspace). */
  maxConcurrency: number;
  /** Local targets: the cpus, memory (MiB) and GPU ids steps share. */
  cpus?: number;
  memoryMb?: number;
  gpus?: string[];
  /** Slurm targets: the partition jobs go to (none: the cluster's default). */
  partition?: string;
}

/** One entry of a datastore folder. */
export interface DatastoreEntry {
  name: string;
  /** Relative to the datastore, '/'-separated. */
  path: string;
  kind: 'file' | 'folder';
  /** Bytes (files only). */
  size: number | null;
  modifiedAt: string;
}

export interface DatastoreListing {
  datastore: string;
  /** The folder listed, relative to the datastore ('' is its root). */
  path: string;
  /** Folders first, then files, by name. */
  entries: DatastoreEntry[];
  /** True when the folder held more entries than were listed. */
  truncated: boolean;
}

/** The head of a file on a datastore (a CSV's first lines). */
export interface FilePreview {
  datastore: string;
  path: string;
  size: number;
  modifiedAt: string;
  /** The file holds NUL bytes: no text is shown. */
  binary: boolean;
  /** Its first lines (at most 64 KiB). */
  text: string;
  /** More of the file than `text` exists. */
  truncated: boolean;
}

export interface DatasetVersionRecord {
  name: string;
  version: number;
  /** A UUID per version, stable for life. */
  id: string;
  /** The first of `paths` (kept for older readers). */
  datastore: string;
  path: string;
  /** Real datastore names; a path may be a glob. */
  paths: { datastore: string; path: string }[];
  kind: DatasetKind;
  /** Read options of tabular data. */
  format: DatasetFormat | null;
  description: string | null;
  tags: Record<string, string>;
  createdAt: string;
}

export interface ServerInfo {
  name: 'millrace';
  version: string;
  workspace: string;
  /** Base URL of this server as the client reached it (over the CLI and the bridge: the serving one, else millrace.yml's). */
  url: string;
  /** True while a `millrace serve` or the desktop app owns the workspace: it fires schedules and drives waiting runs. */
  served: boolean;
}

/** What a successful submit returns; `Id` is already in the store when this is sent. */
export interface SubmitResult {
  Id: string;
  Status: RunStatus;
  ExperimentName: string;
  PipelineId: string | null;
  PipelineEndpointId: string | null;
  Description: string | null;
  ParameterAssignments: Record<string, ParamValue>;
  Tags: Record<string, string | null>;
  CreatedDate: string;
  /** The run's page in the studio (`<base>/#/runs/<Id>`); poll its status at GET /api/v1/runs/{Id}. */
  RunUrl: string;
}
