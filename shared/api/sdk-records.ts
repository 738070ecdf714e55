// Records of the calls the azureml package needs beyond the studio's (docs/bridge.md): runs as the
// SDK's handles read them, registered environments, models. The CLI's --json and the API share them.
import type { RunStatus } from '../constants.js';
import type { ParamValue } from '../params.js';
import type { MetricValues, Trigger } from '../types.js';

/** Read options of tabular data (datasets, compiled specs, MILLRACE_INPUTS). */
export interface DatasetFormat {
  type: 'delimited' | 'parquet';
  separator?: string;
  header?: boolean;
  encoding?: 'utf8' | 'utf8bom' | 'iso88591' | 'latin1' | 'ascii' | 'utf16' | 'utf32' | 'windows1252';
  includePath: boolean;
  pathGlob?: string;
}

/** One entry of MILLRACE_INPUTS as a step received it. */
export interface MillraceInputEntry {
  path: string;
  kind: string;
  mode?: string;
  datasetId?: string;
  datasetName?: string;
  datasetVersion?: number;
  files?: string[];
  format?: DatasetFormat;
}

/** A pipeline run or a step run as the SDK's run handles see it. */
export interface SdkRunRecord {
  kind: 'pipeline' | 'step';
  id: string;
  parentId: string | null;
  stepId: string | null;
  /** Step: its display name; pipeline: the pipeline's name. */
  name: string;
  experiment: string;
  status: RunStatus;
  reusedFrom: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  error: string | null;
  /** Step: the compute asked for (x-azureml.compute), else the one it ran on; pipeline: "local". */
  target: string;
  properties: Record<string, string>;
  tags: Record<string, string | null>;
  metrics: MetricValues;
  /** trigger.user, else the token name, else the schedule name. */
  submittedBy: string;
  logFiles: Record<string, string>;
  runDir: string;
  inputs: Record<string, MillraceInputEntry>;
  outputs: Record<string, { path: string; datastore: string; pathOnDatastore: string }>;
  xAzureml: Record<string, unknown> | null;
  parameters?: Record<string, ParamValue>;
  trigger?: Trigger | null;
  pipelineFile?: string | null;
  publishedPipelineId?: string | null;
  steps?: SdkRunRecord[];
}

export interface SdkSubmitResult {
  run: SdkRunRecord;
  /** Absolute: <ws>/pipelines/sdk/<name>-<hash8>.yml */
  pipelineFile: string;
  /** Pipeline order. */
  steps: { stepId: string; displayName: string; codeHash: string; allowReuse: boolean }[];
}

export interface EnvironmentDefinition {
  python: {
    user_managed_dependencies: boolean;
    interpreter_path: string;
    conda_dependencies: { name: string | null; channels: string[]; conda_packages: string[]; pip_packages: string[] } | null;
    conda_environment_name: string | null;
  };
  docker: { enabled: boolean; base_image: string | null; base_dockerfile: string | null };
  environment_variables: Record<string, string>;
}

export interface SdkEnvironmentRecord {
  name: string;
  version: number | null;
  source: 'sdk' | 'millrace.yml';
  /** millrace.yml environments: their interpreter. */
  python?: string;
  definition: EnvironmentDefinition | null;
  createdAt?: string;
}

export interface ModelRecord {
  name: string;
  version: number;
  /** "name:version" */
  id: string;
  /** Absolute: models/<name>/<version>/<basename> (a file or a folder). */
  path: string;
  tags: Record<string, string>;
  properties: Record<string, string>;
  description: string | null;
  runId: string | null;
  experiment: string | null;
  framework: string | null;
  frameworkVersion: string | null;
  datasets: { name: string; id: string }[];
  createdAt: string;
}

